"""Verdict words and the one rule that turns a figure and its interval into pass or fail.

The words are stored in SQLite and progress files, so each member's value is the string
that has always been written; a StrEnum compares equal to it and serializes as it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Verdict(StrEnum):
    """What a check, or one of its metrics, came to."""

    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    TIMEOUT = "timeout"
    ERROR = "error"
    OOM = "oom"
    MISSING = "missing"  # a metric the bench did not report, or a goal without its baseline
    UNMEASURED = "unmeasured"  # a metric of a wrong result: nothing was timed
    UNTRUSTED = "untrusted"  # a figure an instrument or the plausibility range rejects


# What a whole check can come to: the only verdicts an attempt row may hold.
ATTEMPT_VERDICTS: tuple[Verdict, ...] = (
    Verdict.PASS,
    Verdict.FAIL,
    Verdict.INCONCLUSIVE,
    Verdict.TIMEOUT,
    Verdict.ERROR,
    Verdict.OOM,
)


def interval_verdict(
    meets: Callable[[float, float], bool],
    threshold: float,
    low: float,
    high: float,
    higher_is_better: bool,
) -> Verdict:
    """Pass when the whole interval meets the threshold, fail when none of it does,
    inconclusive when it straddles: noise can then never turn a verdict into its opposite.
    An exact figure is the interval low == high."""
    worst, best = (low, high) if higher_is_better else (high, low)
    if meets(worst, threshold):
        return Verdict.PASS
    if not meets(best, threshold):
        return Verdict.FAIL
    return Verdict.INCONCLUSIVE


class GoalVerdict(StrEnum):
    """What an effort's goal check came to: the interval rule in an effort's words."""

    MET = "met"
    NOT_MET = "not met"
    UNCLEAR = "unclear"


GOAL_WORDS: dict[Verdict, GoalVerdict] = {
    Verdict.PASS: GoalVerdict.MET,
    Verdict.FAIL: GoalVerdict.NOT_MET,
    Verdict.INCONCLUSIVE: GoalVerdict.UNCLEAR,
}
