"""The stored shape of an effort's measurement (README: measurement figures), as TypedDicts.

The figures go to SQLite and progress files as JSON, so they stay plain dicts; these types
let mypy check every writer (measure.commands, efforts) and reader (report, the faces).
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict, final

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
    cpu_s: float | None  # None: imported from a tool that did not measure it (pyperf)
    peak_rss_kib: int | None


class FloorData(TypedDict):
    """What the launcher itself costs a run, measured before the runs: always all three."""

    wall_s: float
    cpu_s: float
    peak_rss_kib: int


class CommandFiguresData(TypedDict):
    """Every run of one command and the summary of each figure."""

    command: str
    runs: int
    wall_s: FigureSummary
    cpu_s: FigureSummary | None  # None: imported from a tool that did not measure it (pyperf)
    peak_rss_kib: FigureSummary | None
    samples: list[RunSample]
    floor: NotRequired[FloorData]  # what the launcher adds to a run (absent before it was kept)
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
    python: NotRequired[str]  # the Python perfcoach ran under; measurements before 0.x lack it


@final
class MeasurementFigures(TypedDict):
    """Everything stored with one measured command: a baseline has no against, speedup or
    goal."""

    measured: CommandFiguresData
    against: CommandFiguresData | None
    speedup: SpeedupData | None
    goal: GoalCheckData | None
    env: EnvironmentData


class LoadRequestsData(TypedDict):
    """One request name (or all of them, name "all") over a whole load run; latencies in s."""

    name: str
    method: str
    requests: int
    failures: int
    error_rate: float  # failures / requests
    rps: float  # requests per second of the run
    p50_s: float
    p95_s: float
    p99_s: float
    p999_s: float
    max_s: float


class LoadRunData(TypedDict):
    """A Locust run: what was asked, how long it ran, and the figures per request name."""

    locustfile: str
    host: str
    users: int  # users asked for
    peak_users: int  # most users Locust reported running
    spawn_rate: float
    run_time_s: float  # asked for
    duration_s: float  # first to last request
    workers: int  # 0: one local process; else worker processes that joined the master
    output_dir: str  # Locust's own CSV, HTML and JSON files
    total: LoadRequestsData
    requests: list[LoadRequestsData]


@final
class LoadMeasurementFigures(TypedDict):
    """Everything stored with a load run (kind "load"); goal is its latency goal's check."""

    load: LoadRunData
    goal: GoalCheckData | None
    env: EnvironmentData


# What a stored measurement holds: a measured command or a load run.
AnyFigures = MeasurementFigures | LoadMeasurementFigures

# The per-run figures every report shows, by key, in the order they are shown.
FigureKey = Literal["wall_s", "cpu_s", "peak_rss_kib"]
# The parts of a FigureSummary a figure table shows, in order.
SummaryPart = Literal["median", "low", "high", "min", "max"]
SUMMARY_PARTS: tuple[SummaryPart, ...] = ("median", "low", "high", "min", "max")
