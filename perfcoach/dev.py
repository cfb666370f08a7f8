"""Proof that a lab is sound: its starter fails the targets and its solution meets them."""

from __future__ import annotations

from dataclasses import dataclass, field

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult, run_check
from perfcoach.verdict import Verdict


@dataclass
class LabProof:
    """Both checks of one proof run and what, if anything, is wrong with the lab."""

    lab: Lab
    starter: CheckResult
    solution: CheckResult
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The lab teaches something and can be passed."""
        return not self.problems


def prove_lab(lab: Lab, seed: int | None = None) -> LabProof:
    """Check the starter (must be a clean 'fail', not an error) and the solution (must pass)."""
    return judge(lab, run_check(lab, lab.starter_dir, seed), run_check(lab, lab.solution_dir, seed))


def judge(lab: Lab, starter: CheckResult, solution: CheckResult) -> LabProof:
    """What `dev check` concludes from a starter's and a solution's checks (the test suite
    judges the checks its lab tests already made, instead of grading both again)."""
    problems = []
    if starter.correct is False:
        problems.append(
            f"starter gives a wrong result, but it must be slow and correct: {starter.message}"
        )
    elif starter.verdict is not Verdict.FAIL:
        problems.append(
            f"starter should fail its targets, got {starter.verdict}: {starter.message}"
        )
    elif any(row.verdict is Verdict.INCONCLUSIVE for row in starter.metrics):
        problems.append("starter has an inconclusive metric: its target is too close")
    if solution.verdict is not Verdict.PASS:
        problems.append(f"solution should pass, got {solution.verdict}: {solution.message}")
    return LabProof(lab, starter, solution, problems)
