"""`perfcoach effort …`: optimization jobs on your own code, each with a goal."""

from __future__ import annotations

from typing import Annotated

import typer

from perfcoach.cli import common
from perfcoach.safetext import inert

app = typer.Typer(
    help="Optimization jobs on your own code: a goal, checklists, measured evidence.",
    no_args_is_help=True,
)

EffortId = Annotated[str, typer.Argument(help="The effort id, e.g. checkout-p95.")]


@app.command("new")
def new(
    effort_id: EffortId,
    goal: Annotated[
        str,
        typer.Option(
            "--goal",
            help="What the effort must achieve. Checked automatically when it reads "
            "'wall|cpu|rss|p50|p90|p95|p99|max|speedup OP NUMBER UNIT' "
            "(e.g. 'p95 < 200ms', 'wall < 1.5s', 'rss <= 200MB', 'speedup >= 2x'); "
            "anything else is kept as text for you to judge.",
        ),
    ],
) -> None:
    """Start an effort: a named optimization job with a goal."""
    from rich.text import Text

    from perfcoach.console import console
    from perfcoach.efforts import create_effort
    from perfcoach.paths import db_path

    with common.store() as db:
        effort, checkable = create_effort(db, effort_id, goal)
    out = console()
    out.print(Text.assemble("created effort ", (effort.id, "bold"), f": {inert(effort.goal)}"))
    if checkable:
        out.print(f"goal checked automatically: {checkable.describe()}", markup=False)
    else:
        out.print(
            "goal kept as text: perfcoach checks only goals on what it measures "
            "(wall, cpu, rss, p50…p99/max of run time, speedup); you judge this one",
            markup=False,
        )
    out.print(f"saved in {db_path()}", markup=False)
    out.print(f"next:  perfcoach checklist show pre --effort {effort.id}", markup=False)
    out.print(f"       perfcoach baseline {effort.id} -- CMD", markup=False)


@app.command("rename")
def rename(
    effort_id: EffortId,
    new_id: Annotated[str, typer.Argument(help="The new id (a-z, 0-9, single dashes).")],
) -> None:
    """Give an effort a new id; its ticks, measurements and evidence move with it."""
    from perfcoach.efforts import rename_effort

    with common.store() as db:
        effort = rename_effort(db, effort_id, new_id)
    typer.echo(f"renamed effort {effort_id} to {effort.id}")
    typer.echo(f"undo with: perfcoach effort rename {effort.id} {effort_id}")


@app.command("delete")
def delete(
    effort_id: EffortId,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: the delete is what you meant.")
    ] = False,
) -> None:
    """Delete an effort with its ticks, measurements and evidence.

    A JSON export of your progress is written first (the path is printed), so a delete can
    be undone with 'perfcoach progress import'.
    """
    from perfcoach.efforts import delete_effort
    from perfcoach.errors import UsageError
    from perfcoach.paths import home_dir
    from perfcoach.store import Efforts

    with common.store() as db:
        Efforts(db).get(effort_id)
        if not yes:
            raise UsageError(
                f"deleting effort {effort_id} removes its ticks and measurements: add --yes"
            )
        backup, deleted = delete_effort(db, effort_id, home_dir() / "backups")
    typer.echo(f"saved a copy of your progress first: {backup}")
    counts = ", ".join(f"{n} {table}" for table, n in deleted.items() if n and table != "efforts")
    typer.echo(f"deleted effort {effort_id}" + (f" and {counts}" if counts else ""))
    typer.echo(f"undo with: perfcoach progress import {backup}")


@app.command("list")
def list_efforts() -> None:
    """Every effort with its goal, checklist progress and latest speedup."""
    from rich.table import Table
    from rich.text import Text

    from perfcoach.console import console
    from perfcoach.efforts import overview
    from perfcoach.store import COMPARED, Efforts, latest

    pack = common.pack()
    with common.store() as db:
        views = [overview(db, pack, effort.id) for effort in Efforts(db).all()]
    out = console()
    if not views:
        out.print("no efforts yet: perfcoach effort new ID --goal TEXT", markup=False)
        return
    table = Table(expand=False)
    for col in ("effort", "goal", "created", "checklists", "measurements", "latest speedup"):
        table.add_column(col, overflow="fold")
    for view in views:
        done = sum(state.done for state in view.checklists)
        total = sum(state.total for state in view.checklists)
        compared = latest(view.measurements, *COMPARED)
        speedup = (
            compared.figures["speedup"] if compared and "speedup" in compared.figures else None
        )
        table.add_row(
            view.effort.id,
            Text(inert(view.effort.goal)),
            view.effort.created.date().isoformat(),
            f"{done}/{total}",
            str(len(view.measurements)),
            f"{speedup['median']:.2f}×" if speedup else "—",
        )
    out.print(table)


@app.command("show")
def show(effort_id: EffortId) -> None:
    """An effort's goal, checklist progress and measurements."""
    from rich.table import Table
    from rich.text import Text

    from perfcoach.console import console
    from perfcoach.efforts import overview
    from perfcoach.numbers import kib, seconds
    from perfcoach.report.model import goal_text

    pack = common.pack()
    with common.store() as db:
        view = overview(db, pack, effort_id)
    out = console()
    out.print(f"[bold]{view.effort.id}[/] · created {view.effort.created.isoformat()}")
    out.print(f"goal: {inert(goal_text(view.effort.goal, view.goal))}", markup=False)
    for state in view.checklists:
        out.print(f"  {state.checklist.id:<14} {state.done}/{state.total}", markup=False)
    if not view.measurements:
        out.print(f"no measurements yet: perfcoach baseline {view.effort.id} -- CMD", markup=False)
        return
    table = Table(title="measurements", title_justify="left", expand=False)
    for col in ("id", "kind", "wall", "cpu", "peak RSS", "speedup", "goal"):
        table.add_column(col, no_wrap=col != "goal")
    for m in view.measurements:
        figures = m.figures
        goal = Text(inert(figures["goal"]["verdict"] if figures["goal"] else "—"))
        if "load" in figures:
            total = figures["load"]["total"]
            rate = f"{total['rps']:.1f} req/s, p95 {seconds(total['p95_s'])}"
            table.add_row(m.uid[:8], m.kind, rate, "", "", "—", goal)
            continue
        measured, speedup = figures["measured"], figures["speedup"]
        table.add_row(
            m.uid[:8],
            m.kind,
            seconds(measured["wall_s"]["median"]),
            seconds(cpu["median"]) if (cpu := measured["cpu_s"]) else "—",
            kib(rss["median"]) if (rss := measured["peak_rss_kib"]) else "—",
            f"{speedup['median']:.2f}×" if speedup else "—",
            goal,
        )
    out.print(table)
    for m in view.measurements:
        vs = f"  (vs {m.vs_command})" if m.vs_command else ""
        taken = m.taken.strftime("%Y-%m-%d %H:%M UTC")
        out.print(inert(f"{m.uid[:8]}  {taken}  {m.command}{vs}"), markup=False)
    out.print(
        f"report: perfcoach checklist export --effort {view.effort.id} --format md", markup=False
    )


@app.command("export")
def export(
    effort_id: EffortId,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="pyperf: pyperf's JSON (benchmarks 'baseline' and 'candidate', wall seconds "
            "per run), for 'python -m pyperf stats|hist|compare_to'.",
        ),
    ] = "pyperf",
    side: Annotated[
        str | None,
        typer.Option(
            "--side",
            help="baseline or candidate: only that one, named after the effort, so "
            "'pyperf compare_to old.json new.json' compares the two.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="File to write (default: print to stdout)."),
    ] = None,
) -> None:
    """The effort's latest measurements in another tool's format."""
    import json

    from perfcoach.efforts.pyperf_export import pyperf_suite
    from perfcoach.errors import UsageError
    from perfcoach.report.output import write_text

    if fmt != "pyperf":
        raise UsageError(f"--format must be pyperf, not {fmt!r}")
    with common.store() as db:
        text = json.dumps(pyperf_suite(db, effort_id, side), sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    typer.echo(f"wrote {write_text(output, text)}")
