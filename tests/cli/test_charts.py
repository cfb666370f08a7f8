"""Charts in the CLI: a latency lab's check draws the latency histogram and stores it with the
attempt (on the real overload lab: its starter serves a backlog, so its P99 sits seconds out
in the tail); `lab history` charts the attempts against the target."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.measure.latency import LatencyHistogram
from perfcoach.store import Store
from tests.helpers import CALLS, seed_attempts

REPO_PACK = Path(__file__).parents[2]


@pytest.fixture
def real_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFCOACH_PACK", str(REPO_PACK))
    monkeypatch.setenv("COLUMNS", "80")


def test_overload_check_draws_and_stores_the_latency_histogram(
    runner: CliRunner, real_pack: None
) -> None:
    assert runner.invoke(app, ["lab", "start", "overload"]).exit_code == 0
    result = runner.invoke(app, ["lab", "check", "overload"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    at = lines.index("P99 latency of served requests (ms):")
    header, *rows = lines[at + 1 : at + 14]
    assert "requests in log-scaled buckets; P50 " in header
    chart = [row for row in rows if "│" in row]
    assert 3 <= len(chart) <= 12 and all(len(row) <= 80 for row in chart)
    tail = next(row for row in chart if "P99" in row)
    assert "◀" in tail and "ms │" in tail
    with Store.open() as db:
        (attempt,) = db.attempts("overload")
    stored = LatencyHistogram.from_json(attempt.metrics["p99_ms"]["latency"])
    assert stored is not None
    assert stored.p99 == pytest.approx(attempt.metrics["p99_ms"]["value"], abs=0.1)
    assert stored.p99 > 1000  # the starter's backlog: seconds, not milliseconds
    assert f"{stored.total:,} requests" in header
    assert "latency" not in attempt.metrics["goodput_pct"]  # only the percentile carries one


def test_history_charts_the_attempts_against_the_target(runner: CliRunner) -> None:
    seed_attempts()  # sum-lab in the fixture pack: calls 40,002 → 3, target baseline/10
    result = runner.invoke(app, ["lab", "history", "sum-lab"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "● function calls per attempt (4, oldest → newest) · ─ target ≤ baseline/10 = 4,000"
    )
    chart = lines[1 : lines.index(next(line for line in lines if line.startswith("┏")))]
    assert len(chart) == 10 and all(len(line) <= 120 for line in chart)
    assert sum(line.count("●") for line in chart) == len(CALLS)
    assert next(line for line in chart if "4,000" in line).count("─") > 40
    assert "\x1b[" not in result.output
