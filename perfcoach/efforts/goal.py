"""Effort goals such as 'p95 < 200ms', 'wall < 1.5s' or 'rss <= 200MB', and checking them.

perfcoach measures whole runs of a command, so only goals about those runs can be checked
automatically: wall, cpu, rss (the median run), p50/p90/p95/p99/max (nearest-rank
percentile of per-run wall time) and speedup (before/after wall ratio). Any other goal is
kept as text and checked by you. A load run (`perfcoach load`) checks a percentile goal
against its request latencies instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from perfcoach.errors import UsageError
from perfcoach.measure.figures import (
    CommandFiguresData,
    FigureKey,
    GoalCheckData,
    LoadRequestsData,
    SpeedupData,
)
from perfcoach.numbers import kib, ratio, seconds
from perfcoach.verdict import GOAL_WORDS, GoalVerdict, interval_verdict

_TIME_UNITS = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0, "min": 60.0}
_MEMORY_UNITS = {  # to KiB, the unit peak RSS is measured in
    "b": 1 / 1024,
    "kb": 1000 / 1024,
    "kib": 1.0,
    "mb": 1e6 / 1024,
    "mib": 1024.0,
    "gb": 1e9 / 1024,
    "gib": 1024.0**2,
}
_PERCENTILES = {"p50": 50, "p90": 90, "p95": 95, "p99": 99, "max": 100}
# A percentile goal read as request latency under load: the figure a load run records.
_LOAD_FIGURE: dict[str, Literal["p50_s", "p95_s", "p99_s", "max_s"]] = {
    "p50": "p50_s",
    "p95": "p95_s",
    "p99": "p99_s",
    "max": "max_s",
}
MAX_LOAD_ERROR_RATE = 0.01  # above it, fast failures could meet a latency goal
_METRICS = {
    "wall": "median wall time of a run",
    "cpu": "median CPU time (user + system) of a run",
    "rss": "median peak RSS of a run",
    "speedup": "before/after wall-time ratio",
    **{p: f"{p} of per-run wall time (nearest rank over the runs)" for p in _PERCENTILES},
}
_FIGURE_OF: dict[str, FigureKey] = {"wall": "wall_s", "cpu": "cpu_s", "rss": "peak_rss_kib"}
_ALIASES = {"time": "wall", "memory": "rss", "mem": "rss", "ratio": "speedup"}
_GOAL = re.compile(
    r"^\s*(?P<metric>[a-z][a-z0-9]*)\s*(?P<op><=|>=|<|>)\s*"
    r"(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[a-zµ×]*)\s*$",
    re.IGNORECASE,
)
_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
MET, NOT_MET, UNCLEAR = GoalVerdict.MET, GoalVerdict.NOT_MET, GoalVerdict.UNCLEAR


@dataclass(frozen=True)
class EffortGoal:
    """A goal perfcoach can check: metric, operator and value in base units (s, KiB, ×)."""

    metric: str
    op: str
    value: float

    def describe(self) -> str:
        """What will be compared, in words, for `effort new` and reports."""
        return f"{_METRICS[self.metric]} {self.op} {format_value(self.metric, self.value)}"


def parse_goal(text: str) -> EffortGoal | None:
    """The checkable goal in text, or None for a goal perfcoach cannot measure (kept as text).

    A known metric with a missing or wrong unit is a usage error, so a typo never turns
    a checkable goal into an unchecked one silently.
    """
    match = _GOAL.match(text)
    if not match:
        return None
    metric = match["metric"].lower()
    metric = _ALIASES.get(metric, metric)
    if metric not in _METRICS:
        return None
    number = float(match["number"])
    unit = match["unit"].lower()
    if metric == "speedup":
        if unit not in ("", "x", "×"):
            raise UsageError(f"goal {text!r}: a speedup is a plain number or '2x'")
        return EffortGoal(metric, match["op"], number)
    units = _MEMORY_UNITS if metric == "rss" else _TIME_UNITS
    if unit not in units:
        example = f"{match['metric']} {match['op']} {match['number']}"
        example += "MB" if metric == "rss" else "ms"
        raise UsageError(
            f"goal {text!r} needs a unit: one of {', '.join(units)} (e.g. '{example}')"
        )
    return EffortGoal(metric, match["op"], number * units[unit])


def format_value(metric: str, value: float) -> str:
    """A goal or figure value in the unit a person would use."""
    if metric == "speedup":
        return ratio(value)
    if metric == "rss":
        return kib(value)
    return seconds(value)


def check_goal(
    goal: EffortGoal, measured: CommandFiguresData, speedup: SpeedupData | None
) -> GoalCheckData:
    """Judge a goal against figures (the measured shape of measure.commands) by the lab
    verdict's interval rule: met when the whole 95 % interval satisfies it, not met when
    none of it does, unclear when it straddles."""
    if goal.metric in _PERCENTILES:
        walls = sorted(sample["wall_s"] for sample in measured["samples"])
        rank = max(1, math.ceil(_PERCENTILES[goal.metric] / 100 * len(walls)))
        median = low = high = walls[rank - 1]  # an exact figure: no interval
    elif goal.metric == "speedup":
        if speedup is None:
            return _checked(goal, None, None, None, UNCLEAR)
        median, low, high = speedup["median"], speedup["low"], speedup["high"]
    else:
        figure = measured[_FIGURE_OF[goal.metric]]
        if figure is None:  # not measured (a pyperf import has wall time only)
            return _checked(goal, None, None, None, UNCLEAR)
        median, low, high = figure["median"], figure["low"], figure["high"]
    verdict = interval_verdict(_OPS[goal.op], goal.value, low, high, goal.op in (">", ">="))
    return _checked(goal, median, low, high, GOAL_WORDS[verdict])


def check_load_goal(goal: EffortGoal, total: LoadRequestsData) -> GoalCheckData | None:
    """Judge a latency goal (p50, p95, p99, max) against a load run's requests, or None for
    a goal about something else. Locust's percentile is one exact figure, so the goal is met
    or not; with more than 1 % failed requests it is unclear, since failures that return at
    once would make any latency look good."""
    figure = _LOAD_FIGURE.get(goal.metric)
    if figure is None:
        return None
    observed = total[figure]
    if total["error_rate"] > MAX_LOAD_ERROR_RATE:
        return _checked(goal, observed, observed, observed, UNCLEAR)
    met = _OPS[goal.op](observed, goal.value)
    return _checked(goal, observed, observed, observed, MET if met else NOT_MET)


def _checked(
    goal: EffortGoal,
    observed: float | None,
    low: float | None,
    high: float | None,
    verdict: GoalVerdict,
) -> GoalCheckData:
    """The documented goal-check shape stored with a compare measurement."""
    return {
        "metric": goal.metric,
        "op": goal.op,
        "value": goal.value,
        "observed": observed,
        "low": low,
        "high": high,
        "verdict": verdict,
    }
