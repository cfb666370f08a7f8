"""The dev-check proof every lab test module imports, so pytest runs it there on that module's
shared starter_run and solution_runs fixtures (grading both again elsewhere costs seconds)."""

from __future__ import annotations

from perfcoach.catalog.lab import Lab
from perfcoach.dev import judge
from perfcoach.runner.check import CheckResult


def test_dev_check_proves_the_lab(
    lab: Lab, starter_run: CheckResult, solution_runs: list[CheckResult]
) -> None:
    """What `perfcoach dev check` requires of every lab, judged on this module's checks."""
    proof = judge(lab, starter_run, solution_runs[0])
    assert proof.ok, proof.problems
    assert proof.starter.correct is True  # slow, but right
    assert all(row.verdict != "inconclusive" for row in proof.solution.metrics)
