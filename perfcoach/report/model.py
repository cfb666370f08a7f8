"""What every report format shows, gathered once: the effort, its checklists, its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from perfcoach import __version__
from perfcoach.measure.figures import (
    CommandFiguresData,
    FigureKey,
    FigureSummary,
    GoalCheckData,
    LoadRequestsData,
    LoadRunData,
    SpeedupData,
)
from perfcoach.numbers import kib, seconds

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.efforts import ChecklistState, EffortGoal
    from perfcoach.store import Effort, Measurement, Store

REPORT_FORMAT = "perfcoach-effort-report"
REPORT_VERSION = 1
FIGURES: tuple[tuple[FigureKey, str], ...] = (
    ("wall_s", "wall time"),
    ("cpu_s", "CPU time"),
    ("peak_rss_kib", "peak RSS"),
)
LOAD_COLUMNS = (
    "request",
    "requests",
    "failed",
    "error rate",
    "req/s",
    "p50",
    "p95",
    "p99",
    "p99.9",
    "max",
)


@dataclass(frozen=True)
class EffortReport:
    """An effort as of `generated`: goal, checklists with ticks, and every measurement."""

    effort: Effort
    goal: EffortGoal | None
    checklists: tuple[ChecklistState, ...]
    measurements: tuple[Measurement, ...]
    generated: datetime
    perfcoach_version: str = __version__

    @property
    def latest_comparison(self) -> Measurement | None:
        """The newest compare/ab measurement: the before/after the report leads with."""
        from perfcoach.store import COMPARED, latest

        return latest(self.measurements, *COMPARED)

    @property
    def latest_load(self) -> Measurement | None:
        """The newest load run: how the service behaves under load, shown after before/after."""
        from perfcoach.store import latest

        return latest(self.measurements, "load")


def build_report(store: Store, pack: Pack, effort_id: str) -> EffortReport:
    """Read everything the report needs through the core, stamped with the current time."""
    from perfcoach.efforts import overview

    view = overview(store, pack, effort_id)
    return EffortReport(
        view.effort, view.goal, view.checklists, view.measurements, datetime.now(UTC)
    )


def figure_rows(
    *sides: CommandFiguresData,
) -> list[tuple[FigureKey, str, tuple[FigureSummary, ...]]]:
    """Each figure every side measured, with its summary per side; a figure a side lacks
    (CPU and RSS of a pyperf import) is left out rather than shown as a number."""
    rows = []
    for key, label in FIGURES:
        summaries = [side[key] for side in sides]
        if all(s is not None for s in summaries):
            rows.append((key, label, tuple(s for s in summaries if s is not None)))
    return rows


def format_figure(key: str, value: float) -> str:
    """A figure with its unit: seconds for times, KiB/MiB for memory."""
    return kib(value) if key == "peak_rss_kib" else seconds(value)


def change(key: str, before: float, after: float) -> str:
    """How after compares with before, in words a reviewer reads at a glance."""
    if after <= 0 or before <= 0:
        return "—"
    ratio = before / after
    if key == "peak_rss_kib":
        return f"{after / before:.2f}× the memory"
    if ratio >= 1:
        return f"{ratio:.2f}× faster"
    return f"{1 / ratio:.2f}× slower"


def speedup_text(speedup: SpeedupData) -> str:
    """The wall-time ratio with its interval and how it was obtained."""
    how = (
        f"median of {speedup['n']} interleaved before/after pairs"
        if speedup.get("paired")
        else "ratio of medians from separate sessions; interval from both medians' intervals"
    )
    return (
        f"{speedup['median']:.2f}× (95 % interval {speedup['low']:.2f}–{speedup['high']:.2f}×; "
        f"{how})"
    )


def load_rows(load: LoadRunData) -> list[tuple[str, ...]]:
    """The load table's rows (LOAD_COLUMNS): the whole run first, then each request name."""
    return [_load_row(load["total"])] + [_load_row(row) for row in load["requests"]]


def _load_row(row: LoadRequestsData) -> tuple[str, ...]:
    """One request name's figures as the tables show them."""
    name = f"{row['method']} {row['name']}".strip()
    return (
        name,
        f"{row['requests']:,}",
        f"{row['failures']:,}",
        f"{row['error_rate'] * 100:.2f} %",
        f"{row['rps']:.1f}",
        *(seconds(row[key]) for key in ("p50_s", "p95_s", "p99_s", "p999_s", "max_s")),
    )


def load_summary(load: LoadRunData) -> str:
    """How the load was made: users, spawn rate, duration, workers and target."""
    workers = f", {load['workers']} workers" if load["workers"] else ", one process"
    return (
        f"{load['users']} users (peak {load['peak_users']} seen), "
        f"spawned {load['spawn_rate']:g}/s, {load['duration_s']:.1f} s of requests "
        f"(--run-time {load['run_time_s']:g}s){workers}, against {load['host']}"
    )


def goal_text(text: str, goal: EffortGoal | None) -> str:
    """The goal as typed and whether perfcoach checks it automatically."""
    if goal is None:
        return f"{text} (not checked automatically: you judge it)"
    return f"{text} (checked automatically: {goal.describe()})"


def goal_result(check: GoalCheckData | None) -> str:
    """The outcome of a goal check stored with a comparison."""
    if check is None:
        return ""
    from perfcoach.efforts.goal import format_value

    observed = check["observed"]
    seen = "no figure" if observed is None else format_value(check["metric"], observed)
    return f"{check['verdict']} (observed {seen})"
