"""The timeline-fanout capstone through the real check: the starter (fan-out on read) is right
and fails only on commands per page; the reference hybrid passes with counts that repeat.
The corpus (tests/grader/alternatives/timeline-fanout, tests/grader/attacks/timeline-fanout)
grades every other design once, with the messages it must produce; the in-process tests
here pin the store's semantics, the reference's page and the scenario's shape."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.driverkit import LocalRemote
from perfcoach.labkit import Refusal, load_module
from perfcoach.runner.check import CheckResult
from tests.helpers import failing, load_bench, metric_rows, passes_with_figures_that_repeat
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "timeline-fanout"
SEED = 271828
METRICS = [
    "ops_per_read",
    "entries_per_read",
    "inserts_per_post_mean",
    "inserts_per_post_max",
    "longest_sorted_set",
]

STARTER = (LAB_DIR / "starter" / "timeline.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "timeline.py").read_text()
bench = load_bench(LAB_DIR)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, brief = lesson_and_brief(lab, "timeline-fanout", 5)
    assert lab.level_name == "Capstones"
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("timeline.py",)
    goals = {
        "ops_per_read": bench.OPS_PER_READ,
        "entries_per_read": bench.ENTRIES_PER_READ,
        "inserts_per_post_mean": bench.INSERTS_MEAN,
        "inserts_per_post_max": bench.INSERTS_MAX,
        "longest_sorted_set": bench.CAP,
    }
    for name, bound in goals.items():
        assert lab.metric(name).goal.threshold(None) == bound, name
        assert f"≤ {bound:,}" in brief, name
    for source in (STARTER, SOLUTION):
        assert f"CAP = {bench.CAP}" in source
    for hint in lab.hints:
        assert " → lesson timeline-fanout § " in hint
        section = hint.rsplit(" § ", 1)[1]
        assert f"## {section}" in lesson.body or f". {section}\n" in lesson.body, section
    assert f"{bench.READS:,} page reads" in brief
    assert f"{bench.HISTORY_POSTS} posts of history" in brief


def test_the_starter_is_right_and_pays_on_every_read(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail" and result.correct is True
    assert failing(result) == {"ops_per_read"}
    rows = metric_rows(result)
    ops = rows["ops_per_read"].value
    assert ops is not None and ops > 3 * bench.OPS_PER_READ
    assert "reads are 100 times as frequent as posts" in rows["ops_per_read"].detail
    assert rows["inserts_per_post_max"].value == 1
    assert any("posts of history" in note for note in result.notes)


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    ops, most = rows["ops_per_read"].value, rows["inserts_per_post_max"].value
    assert ops is not None and ops < 0.8 * bench.OPS_PER_READ
    assert most is not None and most < bench.INSERTS_MAX / 2
    assert rows["longest_sorted_set"].value == bench.CAP
    baseline = rows["ops_per_read"].baseline
    assert baseline is not None and baseline > 4 * ops


def _store() -> Any:
    store = bench.TimelineStore()
    store.load_graph({"followers:1": {2, 3}, "following:2": {1}})
    return store, bench.StoreView(store)


def test_sorted_sets_order_ties_by_member_and_trim_by_rank() -> None:
    store, view = _store()
    view.zadd("t", {5: 10, 9: 10, 7: 11, 1: 3})
    assert view.zrevrange("t", 0, 2) == [(7, 11), (9, 10), (5, 10)]
    assert view.zrange("t", 0, 0) == [(1, 3)]
    assert view.zremrangebyrank("t", 0, -3) == 2  # keep the top 2
    assert view.zrevrange("t", 0, -1) == [(7, 11), (9, 10)]
    assert view.zadd("t", {9: 12}) == 0  # an update moves the member, adds nothing
    assert view.zrevrange("t", 0, 0) == [(9, 12)]
    assert store.longest() == (2, "t")


def test_every_command_counts_and_a_pipeline_is_one_round_trip() -> None:
    store, view = _store()
    answers = view.pipeline(
        [("zadd", "a", {1: 1, 2: 2}), ("sadd", "s", 1, 1), ("smembers", "followers:1")]
    )
    assert answers == [2, 1, [2, 3]]
    cost = store.cost
    assert (cost.commands, cost.round_trips, cost.inserts, cost.entries) == (3, 1, 4, 2)
    view.smismember("s", [1, 2, 3])
    assert (cost.commands, cost.round_trips, cost.entries) == (4, 2, 5)


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda v: v.sadd("followers:1", 9), "read-only"),
        (lambda v: v.delete("following:2"), "read-only"),
        (lambda v: v.zadd("t", {"9": 1}), "members are ints"),
        (lambda v: v.pipeline([("pipeline", [])]), "no command 'pipeline'"),
        (lambda v: v.pipeline([("longest",)]), "no command 'longest'"),
    ],
)
def test_the_store_refuses_what_a_redis_would(call: Any, says: str) -> None:
    _, view = _store()
    with pytest.raises(Refusal, match=says):
        call(view)


def test_a_deleted_post_leaves_its_slot_empty() -> None:
    """The page is the newest CAP posts, then the deleted ones are dropped: an older post
    does not move up."""
    net = bench.Network([frozenset({1}), frozenset()], [1, 0])
    ref = bench.Reference(net)
    for n in range(bench.CAP + 1):
        ref.apply(bench.Request("publish", 1, 100 + n, n // 2))
    ref.apply(bench.Request("delete", 1, 100 + bench.CAP))
    page = ref.page(0)
    assert len(page) == bench.CAP - 1 and 100 not in page
    assert page[:2] == [100 + bench.CAP - 1, 100 + bench.CAP - 2]  # same time: larger id first


def test_the_scenario_keeps_zipf_followers_and_100_reads_per_post() -> None:
    net = bench.network(random.Random(7))
    counts = sorted(net.followers(), reverse=True)
    assert counts[0] > 0.8 * bench.USERS
    assert counts[len(counts) // 2] < 40
    work = bench.traffic(random.Random(8), net)
    kinds = [r.kind for r in work.live]
    assert kinds.count("timeline") == bench.READS
    assert kinds.count("publish") * bench.READS_PER_POST == bench.READS
    assert kinds.count("delete") == bench.DELETIONS
    times = [r.at for r in work.history]
    assert len(set(times)) < len(times) / 3  # many posts share a time
    # The fan follows the most followed account alone and reads: its page is that account's
    # newest CAP posts, which a list of an author's posts cut below CAP cannot show.
    star, fan = net.rank.index(0), net.rank.index(bench.USERS - 1)
    assert net.following[fan] == {star}
    assert sum(r.user == star for r in work.history) >= bench.STAR_POSTS > bench.CAP
    assert any(r.kind == "timeline" and r.user == fan for r in work.live)
    assert [r.at for r in work.history] == sorted(r.at for r in work.history)
    # Half-way through the reads, the second most followed account posts for the first
    # time: a page built from a remembered list of followed celebrities misses it.
    newcomer = net.rank.index(1)
    firsts = [i for i, r in enumerate(work.live) if r.kind == "publish" and r.user == newcomer]
    assert firsts == [bench.READS // 2]
    assert all(r.user != newcomer for r in work.history)
    assert all(r.at <= work.live[firsts[0]].at for r in work.live if r.kind == "publish")


def test_profile_replays_a_run_through_any_timeline() -> None:
    views: list[Any] = []

    def serve(view: Any) -> LocalRemote:
        views.append(view)
        return LocalRemote(lambda method, args: getattr(view, method)(*args))

    ctx = SimpleNamespace(rng=lambda salt: random.Random(f"1:{salt}"), serve=serve)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    driver = load_module(LAB_DIR / "driver.py", "timeline_fanout_driver_profile")
    solution = load_module(LAB_DIR / "solution" / "timeline.py", "timeline_fanout_solution_test")
    assert driver.replay(solution, *work.args) == bench.READS


def test_the_judge_names_what_is_wrong_with_a_page() -> None:
    net = bench.Network([frozenset({1}), frozenset()], [1, 0])
    ref = bench.Reference(net)
    for n in range(bench.CAP + 5):
        ref.apply(bench.Request("publish", 1, 100 + n, n))
    want = ref.page(0)
    assert bench.judge(ref, 0, want, 1) == ""
    assert bench.judge(ref, 0, tuple(want), 1) == ""  # a tuple crosses the wire as one
    pairs = [(p, ref.at_of[p]) for p in want]
    assert "keep the ids" in bench.judge(ref, 0, pairs, 1)
    assert "at most CAP" in bench.judge(ref, 0, [*want, 99], 1)
    assert "larger post id comes first" not in bench.judge(ref, 0, want[::-1], 1)
    assert "newest first" in bench.judge(ref, 0, want[::-1], 1)
