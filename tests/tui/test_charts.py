"""The lab screen's charts: the History tab plots the main metric per attempt against its
target; a check whose metric carries latencies shows their histogram in the Check tab."""

from __future__ import annotations

from typing import Any

import pytest

from perfcoach.catalog import Lab, load_lab
from perfcoach.measure.latency import LatencyHistogram
from perfcoach.runner.check import CheckResult, judge
from perfcoach.runner.child import ChildOutcome
from perfcoach.runner.contracts import GraderResult
from perfcoach.store import Store
from perfcoach.tui.screens import lab as lab_screen
from perfcoach.tui.screens.lab import LabScreen
from perfcoach.tui.widgets.attempts_chart import AttemptsChart
from tests.helpers import CALLS, FIXTURE_PACK, seed_attempts
from tests.tui.conftest import MakeApp


def plain(widget: Any) -> str:
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


@pytest.mark.parametrize("no_color", [False, True])
async def test_history_charts_each_attempt_against_the_target(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    seed_attempts()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        label = plain(screen.query_one("#trend-label"))
        assert label == (
            "● function calls per attempt (4, oldest → newest) · ─ target ≤ baseline/10 = 4,000"
        )
        chart = screen.query_one("#trend", AttemptsChart)
        assert chart.size.width >= 70  # as wide as the tab, not a thumbnail
        lines = plain(chart).splitlines()
        assert sum(line.count("●") for line in lines) == len(CALLS)
        rule = next(line for line in lines if line.lstrip().startswith("4,000"))
        assert rule.count("─") > 40  # the target drawn across the chart, labelled on its axis
        assert lines[1].lstrip().startswith("40,002") and "●" in lines[1]  # the starter, top
        assert any(line.lstrip().startswith("3┤") for line in lines)  # the fix, at the bottom
        assert app.no_color is no_color


def latency_result(lab: Lab) -> CheckResult:
    """What judging a grade whose calls metric carries a latency histogram gives."""
    hist = LatencyHistogram.of([20.0] * 95 + [400.0] * 4 + [2500.0])
    assert hist is not None
    result: GraderResult = {
        "status": "ok",
        "grade": {
            "correct": True,
            "metrics": {
                "calls": {
                    "value": 40_002.0,
                    "baseline": 40_002.0,
                    "low": None,
                    "high": None,
                    "detail": "",
                    "untrusted": "",
                    "untimed": False,
                    "latency": hist.to_json(),
                },
                "speedup": {
                    "value": 1.0,
                    "baseline": None,
                    "low": 0.9,
                    "high": 1.1,
                    "detail": "",
                    "untrusted": "",
                    "untimed": False,
                },
            },
            "message": "",
            "notes": [],
        },
    }
    return judge(lab, ChildOutcome(result, 0, False, "", 0, 0.1))


async def test_the_check_view_draws_a_metrics_latency_histogram(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab = load_lab(FIXTURE_PACK / "labs" / "sum-lab")
    monkeypatch.setattr(lab_screen, "run_check", lambda *args, **kwargs: latency_result(lab))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        details = plain(app.screen.query_one("#details")).splitlines()
        at = details.index("function calls:")
        assert details[at + 1] == (
            "100 requests in log-scaled buckets; P50 20 ms, P95 20 ms, P99 400 ms"
        )
        rows = details[at + 2 : at + 13]
        assert rows[0].endswith("95 ◀ P50 P95") and "│" in rows[0]
        assert rows[7].endswith("4 ◀ P99") and rows[10].startswith("1,585–2,512 ms │█")
        fits = app.screen.query_one("#details").content_size.width
        assert all(len(row) <= fits for row in details[at : at + 13])  # none wraps
    with Store.open() as db:
        (attempt,) = db.attempts("sum-lab")
    assert attempt.metrics["calls"]["latency"]["counts"][0] == 95
