"""The service-calls lab through the real check: the starter is right but sequential,
N+1 and deadline-free, and fails every counted row but the in-flight bound; the reference
and the taught alternatives pass with counts that repeat; each tempting half-fix fails on
the row that names its flaw; and the simulated clock is the grader's, whatever the
subject does to its own."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, edit_source, failing, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

if TYPE_CHECKING:
    from perfcoach.measure.profilers import CProfileReport

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "service-calls"
CORPUS = ROOT / "tests" / "grader"
ATTACKS = CORPUS / "attacks" / "service-calls"
SEED = 161803
METRICS = [
    "calls_per_page",
    "in_flight_max",
    "critical_path_ratio",
    "calls_after_deadline",
    "degraded_pages_served",
]

STARTER = (LAB_DIR / "starter" / "page.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "page.py").read_text()

check = functools.partial(check_source, seed=SEED)


def attack(name: str) -> str:
    return (ATTACKS / f"{name}.py").read_text()


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "microservices", 3)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert "async def render_page(client, request)" in brief
    assert "async def render_page(" in STARTER


def test_starter_is_right_but_sequential_and_deadline_free(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == {
        "calls_per_page",
        "critical_path_ratio",
        "calls_after_deadline",
        "degraded_pages_served",
    }
    rows = metric_rows(result)
    assert rows["critical_path_ratio"].value == 1.0
    assert rows["in_flight_max"].value == 1
    assert "cross-service N+1" in rows["calls_per_page"].detail
    assert "Start them together" in rows["critical_path_ratio"].detail
    assert "carried no timeout" in rows["calls_after_deadline"].detail
    assert rows["degraded_pages_served"].value == 0
    assert "Recommendations are optional" in rows["degraded_pages_served"].detail


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    assert second.verdict == "pass", second.message
    rows, again = metric_rows(first), metric_rows(second)
    for name in METRICS:
        assert rows[name].value == again[name].value, name
        assert rows[name].detail == again[name].detail, name
        assert rows[name].baseline == again[name].baseline, name
    ratio = rows["critical_path_ratio"].value
    assert ratio is not None and ratio < 0.25  # far from the line at 1/3
    assert rows["calls_after_deadline"].value == 0
    assert rows["degraded_pages_served"].value == 100
    assert first.notes == second.notes


@pytest.mark.parametrize(
    "name",
    [
        "wrong_fix_batch_without_deadline",
        "wrong_fix_deadline_checked_not_propagated",
        "wrong_fix_fixed_timeout_per_hop",
        "wrong_fix_asyncio_wait_for",
    ],
)
def test_a_deadline_that_does_not_travel_with_the_call_fails(
    lab: Lab, tmp_path: Path, name: str
) -> None:
    result = check(lab, tmp_path, attack(name))
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == {"calls_after_deadline", "degraded_pages_served"}
    rows = metric_rows(result)
    assert "ran past the deadline" in rows["calls_after_deadline"].detail
    assert "timeout=deadline − client.now()" in rows["calls_after_deadline"].detail
    assert "after the deadline" in rows["degraded_pages_served"].detail


def test_concurrency_without_the_batch_call_is_still_an_n_plus_one(
    lab: Lab, tmp_path: Path
) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_concurrency_without_batch"))
    assert failing(result) == {"calls_per_page"}
    assert "prices.get_many" in metric_rows(result)["calls_per_page"].detail


def test_an_unbounded_fan_out_exceeds_the_services_bound(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_unbounded_fan_out"))
    assert failing(result) == {"calls_per_page", "in_flight_max"}
    detail = metric_rows(result)["in_flight_max"].detail
    assert "asyncio.Semaphore(4)" in detail


def test_recommendations_down_must_not_fail_the_page(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_recommendations_fail_the_page"))
    assert failing(result) == {"degraded_pages_served"}
    row = metric_rows(result)["degraded_pages_served"]
    assert row.value == 0
    assert "catch the optional call's TimeoutError and ConnectionError" in row.detail


def test_retrying_a_down_service_is_counted(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_retry_down_service"))
    assert "calls_per_page" in failing(result)
    assert "never a service that refuses" in metric_rows(result)["calls_per_page"].detail


def test_a_retry_after_the_deadline_is_a_call_after_it(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_retry_three_times"))
    assert failing(result) == {"calls_after_deadline", "calls_per_page"}  # down: 3 tries
    detail = metric_rows(result)["calls_after_deadline"].detail
    assert "started at or after it" in detail and "retries included" in detail


def test_batch_and_deadline_without_concurrency_is_too_slow(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_sequential_batch_with_deadline"))
    assert failing(result) == {"critical_path_ratio"}
    detail = metric_rows(result)["critical_path_ratio"].detail
    assert "users.get 0–" in detail and "Start them together" in detail


def test_a_batch_over_the_limit_is_refused_with_the_limit(lab: Lab, tmp_path: Path) -> None:
    oversized = SOLUTION.replace("client.max_batch", "40")
    assert oversized != SOLUTION
    result = check(lab, tmp_path, oversized)
    assert result.verdict == "fail" and result.correct is False
    assert "prices.get_many takes at most 20 skus" in result.message


def test_a_page_cached_across_requests_is_wrong(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("cache_pages_by_user"))
    assert result.correct is False
    assert "never from an earlier page" in result.message


def test_the_subjects_clock_is_not_the_grade(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("fake_clock_patch_now"))
    rows = metric_rows(result)
    assert rows["critical_path_ratio"].value == 1.0  # the starter's calls, the starter's time
    assert "calls_after_deadline" in failing(result)


def test_forged_start_times_stop_the_page(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("forge_advance_start_times"))
    assert result.correct is False
    assert "the grader stopped this page" in result.message


def test_pages_are_what_the_brief_says() -> None:
    bench = load_bench(LAB_DIR)
    for seed in range(20):
        pages = bench.make_pages(random.Random(seed))
        assert len(pages) == 40
        kinds = [p.kind for p in pages]
        assert kinds.count("healthy") == 26 and kinds.count("down") == kinds.count("hanging") == 7
        assert len({p.user_id for p in pages}) <= 12
        for page in pages:
            assert 8 <= len(page.cart) <= 40
            assert len({i["sku"] for i in page.cart}) == len(page.cart)
    assert bench.make_pages(random.Random(3)) == bench.make_pages(random.Random(3))


def test_the_clock_moves_only_to_the_next_end_and_a_timeout_cuts_the_call() -> None:
    bench = load_bench(LAB_DIR)
    page = next(p for p in bench.make_pages(random.Random(5)) if p.kind == "hanging")
    services = bench.PageServices(page)
    now, done = services.advance(
        [
            [1, "users", "get", [page.user_id], None],
            [2, "recommendations", "for_user", [page.user_id], 0.2],
        ]
    )
    assert done[0][0] == 1 and 20_000 <= now <= 40_000
    answered = now
    now, done = services.advance([[3, "cart", "get", [page.user_id], 0.2 - now / 1e6]])
    assert services.calls[-1].start == answered  # sent after an answer: starts at its time
    assert done[0][0] == 3 and now > answered
    now, done = services.advance([])
    assert (now, done) == (200_000, [[2, "deadline", done[0][2]]])
    assert [c.start for c in services.calls][:2] == [0, 0]  # sent together, started together
    assert services.in_flight_max["users"] == services.in_flight_max["recommendations"] == 1
    with pytest.raises(bench.Refusal):
        services.advance([[4, "users", "get", [page.user_id], None, 0]])  # no start times


def test_profile_runs_a_page(lab: Lab) -> None:
    report = cast("CProfileReport", profile(lab, lab.starter_dir, "cprofile", seed=SEED))
    # The rows are the top functions by own time, which load reorders: only that a page ran.
    assert report["total_calls"] > 0 and report["rows"]


def test_lines_out_of_cart_order_are_named_as_such(lab: Lab, tmp_path: Path) -> None:
    source = edit_source(SOLUTION, "]] for item in cart]", "]] for item in reversed(cart)]")
    result = check(lab, tmp_path, source)
    assert result.correct is False
    assert "the right lines in another order" in result.message


def test_a_stale_timeout_fails_though_the_service_answered_in_time(
    lab: Lab, tmp_path: Path
) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_whole_deadline_on_every_call"))
    assert result.correct is True
    assert failing(result) == {"calls_after_deadline"}
    detail = metric_rows(result)["calls_after_deadline"].detail
    assert "could run past the deadline" in detail and "prices.get_many" in detail


def test_short_price_batches_are_named_not_called_retries(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_batches_of_ten"))
    detail = metric_rows(result)["calls_per_page"].detail
    assert "takes up to 20 skus a call" in detail and "retry" not in detail


def test_a_side_panel_never_shown_is_a_wrong_result(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("wrong_fix_recommendations_never_wait"))
    assert result.correct is False
    assert "not always" in result.message


def test_a_loop_that_never_waits_is_stopped_quickly(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, attack("class1_call_soon_chain_never_idle"))
    assert result.correct is False
    assert "never lets every task wait" in result.message
    assert result.duration_s < 20
