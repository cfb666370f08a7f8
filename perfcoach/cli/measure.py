"""`perfcoach baseline` and `perfcoach compare`: measure a real command for an effort."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from perfcoach.cli import common
from perfcoach.safetext import inert

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

    from perfcoach.efforts import Recorded
    from perfcoach.efforts.measuring import LoadDrift
    from perfcoach.measure.commands import OnRun, Run
    from perfcoach.measure.figures import CommandFiguresData, MeasurementFigures

EffortId = Annotated[
    str, typer.Argument(metavar="EFFORT", help="The effort, from 'perfcoach effort list'.")
]
Command = Annotated[
    list[str],
    typer.Argument(
        metavar="CMD",
        help="The command to measure, after '--' (e.g. -- python bench.py).",
        show_default=False,
    ),
]
Runs = Annotated[
    int, typer.Option("--runs", min=1, max=1000, help="Runs of the command (pairs with --vs).")
]


Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.001,
        max=86_400.0,  # also refuses inf and nan
        help="Seconds one run may take before it is killed (its group); at most a day.",
    ),
]


def baseline(
    effort_id: EffortId,
    command: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="CMD",
            help="The command to measure, after '--' (e.g. -- python bench.py).",
            show_default=False,
        ),
    ] = None,
    runs: Runs = 10,
    timeout: Timeout = 600.0,
    from_pyperf: Annotated[
        str | None,
        typer.Option(
            "--from-pyperf",
            metavar="FILE",
            help="Record a pyperf result (python -m pyperf command -o FILE -- CMD, or "
            "timeit) as the baseline instead of measuring: its values become the samples.",
        ),
    ] = None,
    benchmark: Annotated[
        str | None,
        typer.Option("--benchmark", help="With --from-pyperf: the benchmark to take."),
    ] = None,
) -> None:
    """Measure CMD N times (wall, CPU, peak RSS) as the effort's baseline.

    Each run is a separate process; figures are the median with its 95 % interval, min
    and max. They are attached as evidence to the pre checklist's baseline-metrics and
    document-current items. A run that fails or times out records nothing (exit 1).
    """
    from perfcoach.console import console
    from perfcoach.efforts import record_baseline
    from perfcoach.errors import UsageError

    out, err = console(), console(stderr=True)
    if from_pyperf is not None:
        if command:
            raise UsageError("give either --from-pyperf FILE or a command after '--', not both")
        _baseline_from_pyperf(out, effort_id, from_pyperf, benchmark)
        return
    if benchmark is not None:
        raise UsageError("--benchmark picks from a --from-pyperf file; give that file too")
    if not command:
        raise UsageError(f"give the command to measure: perfcoach baseline {effort_id} -- CMD")
    with common.store() as db, err.status("measuring…") as status:
        recorded = record_baseline(
            db, common.pack(), effort_id, command, runs, timeout, _progress(status, runs)
        )
    _print_figures(out, recorded.figures["measured"], "baseline")
    print_recorded(out, recorded)
    out.print(f"next: perfcoach compare {effort_id} -- NEW CMD", markup=False)


def _baseline_from_pyperf(out: Console, effort_id: str, path: str, benchmark: str | None) -> None:
    """Record a pyperf file's benchmark as the baseline and say what was taken from it."""
    from perfcoach.efforts.measuring import record_pyperf_baseline

    with common.store() as db:
        recorded = record_pyperf_baseline(db, common.pack(), effort_id, path, benchmark)
    _print_figures(out, recorded.figures["measured"], "baseline (from pyperf)")
    out.print("pyperf times each value; CPU time is not in its file", markup=False)
    print_recorded(out, recorded)
    out.print(f"next: perfcoach compare {effort_id} -- NEW CMD", markup=False)


def compare(
    effort_id: EffortId,
    command: Command,
    vs: Annotated[
        str | None,
        typer.Option(
            "--vs",
            help="The old command, quoted: both run interleaved A/B in this session "
            "instead of comparing with the stored baseline.",
        ),
    ] = None,
    runs: Runs = 10,
    timeout: Timeout = 600.0,
) -> None:
    """Measure CMD again and compare it with the baseline: before/after and the speedup.

    With --vs 'OLD CMD' both commands run alternately (AB, BA, …) in one session and the
    speedup is the median of per-pair ratios with its interval. The figures are attached to
    the post checklist's measure-improvements and compare-baseline items, and to
    validate-targets when the effort's goal is checkable and met.
    """
    from perfcoach.console import console
    from perfcoach.efforts import record_compare
    from perfcoach.measure.commands import split_command

    out, err = console(), console(stderr=True)
    before = split_command(vs) if vs is not None else None
    pairs = " pairs" if before else ""
    with common.store() as db, err.status(f"measuring{pairs}…") as status:
        recorded = record_compare(
            db, common.pack(), effort_id, command, before, runs, timeout, _progress(status, runs)
        )
    _print_comparison(out, recorded)
    if recorded.drift is not None:
        _print_drift(out, recorded.drift, effort_id)
    print_recorded(out, recorded)


def _progress(status: Status, runs: int) -> OnRun:
    """An on_run callback that updates the spinner with the run count and last wall time."""
    from perfcoach.numbers import seconds

    def on_run(i: int, run: Run) -> None:
        """Show the run count and the last run's wall time."""
        status.update(f"run {i + 1}/{runs}: {seconds(run.wall_s)}")

    return on_run


def _print_figures(out: Console, measured: CommandFiguresData, title: str) -> None:
    """One command's figures: median, 95 % interval, min, max and spread."""
    from rich.table import Table

    from perfcoach.report.model import figure_rows, format_figure

    out.print(inert(f"{title}: {measured['command']} ({measured['runs']} runs)"), markup=False)
    table = Table(expand=False)
    for col in ("figure", "median", "95 % interval", "min", "max", "spread"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    for key, label, (s,) in figure_rows(measured):
        table.add_row(
            label,
            format_figure(key, s["median"]),
            f"{format_figure(key, s['low'])}–{format_figure(key, s['high'])}",
            format_figure(key, s["min"]),
            format_figure(key, s["max"]),
            f"±{s['spread'] * 50:.1f} %",
        )
    out.print(table)
    _print_floor(out, measured)


def _print_floor(out: Console, measured: CommandFiguresData) -> None:
    """What the launcher adds to each run, so a figure near it is read as the launcher's."""
    from perfcoach.numbers import kib, seconds

    if "floor" in measured:
        floor = measured["floor"]
        out.print(
            f"launcher floor, charged to every run: CPU {seconds(floor['cpu_s'])}, "
            f"peak RSS {kib(floor['peak_rss_kib'])} (a figure at the floor is the launcher's)",
            markup=False,
        )


def _print_comparison(out: Console, recorded: Recorded[MeasurementFigures]) -> None:
    """Before/after medians, the speedup with its interval, and the goal."""
    from rich.table import Table

    from perfcoach.report.model import (
        change,
        figure_rows,
        format_figure,
        goal_result,
        speedup_text,
    )

    figures = recorded.figures
    before, after, speedup = figures["against"], figures["measured"], figures["speedup"]
    assert before is not None and speedup is not None  # a compare or ab stores both
    table = Table(title="before / after (medians)", title_justify="left", expand=False)
    for col in ("figure", "before", "after", "change"):
        table.add_column(col, justify="left" if col in ("figure", "change") else "right")
    for key, label, (b_s, a_s) in figure_rows(before, after):
        b, a = b_s["median"], a_s["median"]
        table.add_row(label, format_figure(key, b), format_figure(key, a), change(key, b, a))
    out.print(f"before: {inert(before['command'])}", markup=False)
    out.print(f"after:  {inert(after['command'])}", markup=False)
    out.print(table)
    _print_floor(out, after)
    out.print(f"speedup (wall): {speedup_text(speedup)}", markup=False)
    if figures.get("goal"):
        out.print(f"goal: {goal_result(figures['goal'])}", markup=False)


def _print_drift(out: Console, drift: LoadDrift, effort_id: str) -> None:
    """Say that the two sides ran at different times, how the load differed, and when to
    measure them together instead."""
    from perfcoach.efforts.measuring import drift_lines

    for line in drift_lines(drift):
        out.print(line, markup=False)
    if drift.recommends_vs:
        out.print(
            f"measure both in one session: perfcoach compare {effort_id} --vs 'OLD CMD' -- CMD",
            markup=False,
        )


def print_recorded(out: Console, recorded: Recorded[Any]) -> None:
    """Where the figures were saved and which checklist items they prove."""
    from perfcoach.paths import db_path

    m = recorded.measurement
    out.print(f"recorded measurement {m.uid[:8]} in {db_path()}", markup=False)
    if recorded.proved:
        links = ", ".join(f"{c}/{i}" for c, i in recorded.proved)
        out.print(f"evidence for: {links}", markup=False)
