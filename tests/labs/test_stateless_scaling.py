"""The stateless-scaling lab through the real check: the starter is right on one instance and
loses carts on four; the reference and other stateless designs (CAS on a JSON value, atomic
commands one per call, sticky sessions over the store) pass with counts that repeat; the
tempting half-fixes (sticky sessions over process memory, read-modify-write, no expiry, an
expiry set once, a round trip per item) fail on the row that names their flaw; and the
bench's store and interleaving behave as the brief says."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from tests.helpers import (
    check_source,
    edit_source,
    failing,
    load_bench,
    metric_rows,
    metric_verdicts,
    passes_with_figures_that_repeat,
)
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "stateless-scaling"
CORPUS = ROOT / "tests" / "grader"
ATTACKS = CORPUS / "attacks" / "stateless-scaling"
SEED = 271828
METRICS = [
    "wrong_items_round_robin",
    "wrong_items_random",
    "wrong_items_restart",
    "lost_updates",
    "store_ops_per_request",
    "idle_carts_kept",
]
PHASES = METRICS[:3]

STARTER = (LAB_DIR / "starter" / "cart_service.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "cart_service.py").read_text()

check = functools.partial(check_source, seed=SEED)


# The reference with carts that expire after 30 s: shoppers pause longer than that even on
# the single instance that is checked first.
SHORT_TTL = edit_source(SOLUTION, "CART_TTL_S = 1800\n", "CART_TTL_S = 30\n")


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "scalability-patterns", 3)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("cart_service.py",)
    for hint in lab.hints:
        assert " → lesson scalability-patterns § " in hint
    bench = load_bench(LAB_DIR)
    assert f"≤ {bench.MAX_OPS}" in brief
    assert lab.metric("store_ops_per_request").goal.threshold(None) == bench.MAX_OPS


def test_starter_is_right_on_one_instance_and_loses_carts_on_four(
    starter_run: CheckResult,
) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True  # the single-instance check passed
    assert failing(result) == {*PHASES, "lost_updates"}
    rows = metric_rows(result)
    for name in PHASES:
        assert rows[name].value is not None and rows[name].value > 100
    assert "module-level dict" in rows["wrong_items_round_robin"].detail
    assert "A restarted instance is a new process" in rows["wrong_items_restart"].detail
    assert "lives in one process's memory" in rows["lost_updates"].detail
    assert rows["store_ops_per_request"].value == 0  # it never talks to the store
    assert result.message.startswith("items lost or phantom, round robin")


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    assert rows["store_ops_per_request"].value == 1  # one multi per request
    for name in PHASES:
        assert rows[name].baseline is not None and rows[name].baseline > 100


def test_sticky_sessions_lose_the_carts_of_a_restarted_instance(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_sticky_sessions.py").read_text())
    assert result.verdict == "fail"
    verdicts = metric_verdicts(result)
    assert verdicts["wrong_items_round_robin"] == verdicts["wrong_items_random"] == "pass"
    row = metric_rows(result)["wrong_items_restart"]
    assert row.verdict == "fail"
    assert "(sticky sessions) loses its cart" in row.detail
    assert result.message.startswith("items lost or phantom, rolling restart")


def test_read_modify_write_loses_updates(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_read_modify_write.py").read_text())
    assert result.verdict == "fail"
    assert failing(result) == {"lost_updates"}
    row = metric_rows(result)["lost_updates"]
    # Every pair of changes (each request rewrites the whole cart), but not the checkout
    # pairs: its checkout is one GETDEL, atomic.
    assert row.value == 12
    assert "the second write erased the first" in row.detail
    assert "cas()" in row.detail


def test_hget_then_hset_loses_the_same_line_twice(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_hget_hset.py").read_text())
    assert failing(result) == {"lost_updates"}
    lost = metric_rows(result)["lost_updates"].value
    assert lost is not None and 0 < lost < 15  # only the pairs that add the same SKU


def test_carts_without_expiry_are_kept(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_no_ttl.py").read_text())
    assert failing(result) == {"idle_carts_kept"}
    row = metric_rows(result)["idle_carts_kept"]
    assert row.value is not None and row.value > 10
    assert "written without an expiry" in row.detail


def test_an_expiry_set_once_loses_active_carts(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_ttl_set_once.py").read_text())
    assert result.verdict == "fail"
    row = metric_rows(result)["wrong_items_round_robin"]
    assert row.verdict == "fail"
    assert "while the shopper was still shopping" in row.detail


def test_a_round_trip_per_item_is_over_the_bound(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_call_per_item.py").read_text())
    assert failing(result) == {"store_ops_per_request"}
    row = metric_rows(result)["store_ops_per_request"]
    assert row.value is not None and row.value >= 5
    assert "bundle" in row.detail and "multi(" in row.detail


def test_carts_that_expire_between_requests_are_wrong_on_one_instance(
    lab: Lab, tmp_path: Path
) -> None:
    result = check(lab, tmp_path, SHORT_TTL)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "with a single instance" in result.message


def test_the_store_speaks_redis() -> None:
    bench = load_bench(LAB_DIR)
    store = bench.CartStore()
    assert store.hincrby("c", "a", 2) == 2
    assert store.hincrby("c", "a", 3) == 5
    assert store.hgetall("c") == {"a": 5}
    assert store.ttl("c") == -1
    assert store.expire("c", 10) is True
    store.now = 9.5
    assert store.ttl("c") == 0 and store.exists("c") == 1
    store.now = 10
    assert store.exists("c") == 0 and store.hgetall("c") == {}
    assert store.expired == {"c": 10}
    value, version = store.gets("j")
    assert (value, version) == (None, 0)
    assert store.cas("j", 0, "{}", 60) is True
    _, version = store.gets("j")
    assert store.cas("j", 0, "x") is False  # exists now
    assert store.cas("j", version, "y") is True
    assert store.cas("j", version, "z") is False  # the version moved on
    assert store.getdel("j") == "y" and store.get("j") is None
    store.set("h", "v")
    with pytest.raises(bench.Refusal, match="WRONGTYPE"):
        store.hget("h", "f")
    with pytest.raises(bench.Refusal, match="str, bytes, int or float"):
        store.set("d", {"a": 1})


def test_a_view_counts_round_trips_and_cuts_in_between_a_read_and_a_write() -> None:
    bench = load_bench(LAB_DIR)
    store = bench.CartStore()
    early, late = bench.StoreView(store), bench.StoreView(store)
    ran: list[str] = []

    def other_request() -> None:
        ran.append("other")
        early.hincrby("c", "b", 1)

    late._cut = other_request
    late.expire("c", 60)  # a write before any read: nothing to cut into yet
    assert ran == []
    assert late.multi([("hget", "c", "b"), ("ttl", "c")]) == [None, -2]
    assert ran == []  # reads only
    late.hincrby("c", "a", 1)  # the first write after a read: the other request goes first
    assert ran == ["other"]
    late.hincrby("c", "a", 1)
    assert ran == ["other"]  # once
    assert late.hgetall("c") == {"a": 2, "b": 1}
    assert (early._ops, late._ops) == (1, 5)  # a multi is one round trip
    assert not hasattr(bench.StoreView, "reset")
    assert all(not name.startswith("_") for name in bench.COMMANDS)


def test_the_wrong_fix_that_writes_before_it_reads_still_loses_updates(
    lab: Lab, tmp_path: Path
) -> None:
    source = (ATTACKS / "wrong_fix_touch_then_read_modify_write.py").read_text()
    result = check(lab, tmp_path, source)
    assert failing(result) == {"lost_updates"}
    assert "read the cart" in metric_rows(result)["lost_updates"].detail


def test_a_checkout_that_reads_then_deletes_loses_the_line_added_between(
    lab: Lab, tmp_path: Path
) -> None:
    """The line another instance adds between the checkout's read and its delete is in
    neither the order nor the cart (the reference reads and deletes in one MULTI). Before
    the checkout pairs, this passed every row."""
    source = (ATTACKS / "wrong_fix_checkout_read_then_delete.py").read_text()
    result = check(lab, tmp_path, source)
    assert failing(result) == {"lost_updates"}
    row = metric_rows(result)["lost_updates"]
    assert row.value == 3  # the three checkout pairs, and only those
    assert "the order held" in row.detail and "never in neither" in row.detail
    assert "Read and delete in one multi()" in row.detail
