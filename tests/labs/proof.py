"""The dev-check proof every lab test module imports, so pytest runs it there on that module's
shared starter_run and solution_runs fixtures (grading both again elsewhere costs seconds)."""

from __future__ import annotations

from perfcoach.catalog.lab import Lab
from perfcoach.dev import judge
from perfcoach.runner.check import CheckResult, MetricRow
from tests.helpers import metric_rows


def test_dev_check_proves_the_lab(
    lab: Lab, starter_run: CheckResult, solution_runs: list[CheckResult]
) -> None:
    """What `perfcoach dev check` requires of every lab, judged on this module's checks."""
    proof = judge(lab, starter_run, solution_runs[0])
    assert proof.ok, proof.problems
    assert proof.starter.correct is True  # slow, but right
    assert all(row.verdict != "inconclusive" for row in proof.solution.metrics)


def passes_with_figures_that_repeat(
    solution_runs: list[CheckResult], metrics: list[str]
) -> dict[str, MetricRow]:
    """A simulated lab's solution passes twice with the same seed and every figure, detail
    and note the same; its rows, for the lab's own margins."""
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    assert second.verdict == "pass", second.message
    rows, again = metric_rows(first), metric_rows(second)
    for name in metrics:
        assert rows[name].value == again[name].value, name
        assert rows[name].baseline == again[name].baseline, name
        assert rows[name].detail == again[name].detail, name
    assert first.notes == second.notes
    return rows
