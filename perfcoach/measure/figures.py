"""The stored shape of an effort's measurement (README: measurement figures), as TypedDicts.

The figures go to SQLite and progress files as JSON, so they stay plain dicts; these types
let mypy check every writer (measure.commands, efforts) and reader (report, the faces).
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from perfcoach.verdict import GoalVerdict


class FigureSummary(TypedDict):
    """One figure over the runs: median with its ~95 % interval, the extremes, the spread."""

    median: float
    low: float
    high: float
    min: float
    max: float
    spread: float  # interval width relative to the median


class RunSample(TypedDict):
    """One run as the kernel accounted for it."""

    wall_s: float
    cpu_s: float
    peak_rss_kib: int


class CommandFiguresData(TypedDict):
    """Every run of one command and the summary of each figure."""

    command: str
    runs: int
    wall_s: FigureSummary
    cpu_s: FigureSummary
    peak_rss_kib: FigureSummary
    samples: list[RunSample]
    uid: NotRequired[str]  # on `against`: the stored baseline these figures were taken from


class SpeedupData(TypedDict):
    """before/after wall-time ratio with its interval; n is None when the runs were unpaired."""

    median: float
    low: float
    high: float
    n: int | None
    paired: bool


class GoalCheckData(TypedDict):
    """An effort goal judged against the figures (efforts.goal.check_goal)."""

    metric: str
    op: str
    value: float
    observed: float | None
    low: float | None
    high: float | None
    verdict: GoalVerdict


class EnvironmentData(TypedDict):
    """Where and on what the figures were taken, so a baseline can be reproduced."""

    cwd: str
    host: str
    platform: str
    cpus: int | None
    load_1m: float | None
    git_commit: str | None


class MeasurementFigures(TypedDict):
    """Everything stored with one measurement: a baseline has no against, speedup or goal."""

    measured: CommandFiguresData
    against: CommandFiguresData | None
    speedup: SpeedupData | None
    goal: GoalCheckData | None
    env: EnvironmentData


# The per-run figures every report shows, by key, in the order they are shown.
FigureKey = Literal["wall_s", "cpu_s", "peak_rss_kib"]
# The parts of a FigureSummary a figure table shows, in order.
SummaryPart = Literal["median", "low", "high", "min", "max"]
SUMMARY_PARTS: tuple[SummaryPart, ...] = ("median", "low", "high", "min", "max")
