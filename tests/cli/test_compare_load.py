"""`compare` without --vs: it says the sides ran at different times and how the load
differed, and recommends --vs past the margin."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from tests.cli.test_efforts import FAST, new_effort


def run_at_load(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, load: float | None, *args: str
) -> str:
    """Run a measuring command with the machine's 1-minute load reading as chosen, on 2 CPUs."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    if load is None:
        monkeypatch.delattr(os, "getloadavg")
    else:
        monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    result = runner.invoke(app, [*args, "--runs", "2", "--", *FAST])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("before", "after", "says", "recommends"),
    [
        (0.2, 0.6, "load differs by 0.20 per CPU, within the 0.5 margin", False),
        (0.2, 1.4, "load differs by 0.60 per CPU, more than the 0.5 margin", True),
        (3.0, 0.5, "load differs by 1.25 per CPU, more than the 0.5 margin", True),
        (None, 0.5, "the load difference cannot be told", True),
    ],
)
def test_unpaired_compare_reports_the_load_difference(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    before: float | None,
    after: float,
    says: str,
    recommends: bool,
) -> None:
    new_effort(runner)
    with monkeypatch.context() as then:
        run_at_load(runner, then, before, "baseline", "checkout")
    output = run_at_load(runner, monkeypatch, after, "compare", "checkout")
    then_text = "unknown" if before is None else f"{before:.2f}"
    assert "unpaired: the baseline ran at " in output
    load = f"1-minute load: {then_text} for the baseline, {after:.2f} for the candidate, on 2 CPUs"
    assert load in output
    assert says in output
    assert ("perfcoach compare checkout --vs 'OLD CMD' -- CMD" in output) is recommends


def test_paired_compare_says_nothing_about_load(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_effort(runner)
    monkeypatch.setattr(os, "getloadavg", lambda: (5.0, 0.0, 0.0))
    vs = " ".join(FAST)
    result = runner.invoke(app, ["compare", "checkout", "--vs", vs, "--runs", "2", "--", *FAST])
    assert result.exit_code == 0, result.output
    assert "unpaired" not in result.output and "--vs 'OLD CMD'" not in result.output
