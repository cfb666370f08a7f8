"""`perfcoach checklist …`: the templates, ticking items for an effort, and the report."""

from __future__ import annotations

from typing import Annotated

import typer

from perfcoach.cli import common
from perfcoach.safetext import inert

app = typer.Typer(
    help="Checklists for real optimization work: show, tick with notes, export a report.",
    no_args_is_help=True,
)

ChecklistId = Annotated[
    str, typer.Argument(help="The checklist id, from 'perfcoach checklist list'.")
]
ItemId = Annotated[str, typer.Argument(help="The item id, as shown by 'checklist show'.")]
EffortOption = Annotated[
    str | None,
    typer.Option(
        "--effort",
        help="The effort the ticks belong to (every checklist except mastery needs one).",
    ),
]
Note = Annotated[
    str | None,
    typer.Option("--note", help="What you found or did; replaces the item's note."),
]


@app.command("list")
def list_checklists() -> None:
    """Every checklist template: id, title, items, and whether it is per effort."""
    from rich.table import Table

    from perfcoach.console import console

    pack = common.pack()
    table = Table(expand=False)
    for col in ("checklist", "title", "items", "ticked"):
        table.add_column(col, overflow="fold")
    for checklist in sorted(pack.checklists.values(), key=lambda c: c.id):
        table.add_row(
            checklist.id,
            checklist.title,
            str(len(checklist.items())),
            "per effort (--effort)" if checklist.scope == "effort" else "once, by you and labs",
        )
    console().print(table)


@app.command("show")
def show(checklist_id: ChecklistId, effort: EffortOption = None) -> None:
    """Each item, ticked or not, with why it matters, your notes and measured evidence."""
    from rich.markup import escape
    from rich.text import Text

    from perfcoach.console import console
    from perfcoach.efforts import checklist_state

    pack = common.pack()
    with common.store() as db:
        state = checklist_state(db, pack, checklist_id, effort)
    out = console()
    owner = f" · effort {state.effort_id}" if state.effort_id else ""
    out.print(
        f"[bold]{escape(state.checklist.title)}[/] ({state.checklist.id}){escape(owner)}: "
        f"{state.done}/{state.total} done"
    )
    out.print(escape(state.checklist.description), style="dim")
    for section in state.sections:
        out.print(f"\n[bold]{escape(section.section.title)}[/]")
        for s in section.items:
            box = "[green]\\[x][/]" if s.ticked else "\\[ ]"
            out.print(f"{box} {s.item.id}: {escape(s.item.text)}")
            out.print(f"    why: {escape(s.item.why)}", style="dim")
            if s.item.teaches:
                out.print(f"    learn: {', '.join(s.item.teaches)}", style="dim")
            if s.by == "labs":
                out.print(f"    proven by passing: {', '.join(s.labs_passed)}", style="green")
            elif s.labs_remaining:
                out.print(f"    labs to pass: {', '.join(s.labs_remaining)}", style="yellow")
            if s.note:
                out.print(Text(f"    note: {inert(s.note)}"))
            if s.evidence:
                uids = ", ".join(uid[:8] for uid in s.evidence)
                out.print(f"    evidence: measurement {uids}", style="cyan")


def _set(
    checklist_id: str, item_id: str, effort: str | None, ticked: bool, note: str | None
) -> None:
    """Tick or untick through the core and say what was saved where."""
    from perfcoach.console import console
    from perfcoach.efforts import set_tick
    from perfcoach.paths import db_path

    with common.store() as db:
        tick = set_tick(db, common.pack(), checklist_id, item_id, effort, ticked, note)
    where = f" for effort {tick.effort_id}" if tick.effort_id else ""
    state = "ticked" if tick.ticked else "unticked"
    out = console()
    out.print(f"{state} {tick.checklist_id}/{tick.item_id}{where}", markup=False)
    if tick.note:
        out.print(f"note: {inert(tick.note)}", markup=False)
    out.print(f"saved in {db_path()}", markup=False)


@app.command("tick")
def tick(
    checklist_id: ChecklistId, item_id: ItemId, effort: EffortOption = None, note: Note = None
) -> None:
    """Mark an item done, optionally with a note (e.g. --note "p95 340ms in staging")."""
    _set(checklist_id, item_id, effort, True, note)


@app.command("untick")
def untick(
    checklist_id: ChecklistId, item_id: ItemId, effort: EffortOption = None, note: Note = None
) -> None:
    """Mark an item not done; its note is kept unless you give a new one."""
    _set(checklist_id, item_id, effort, False, note)


@app.command("export")
def export(
    effort: Annotated[str, typer.Option("--effort", help="The effort to report on.")],
    fmt: Annotated[
        str, typer.Option("--format", help="md (pull requests), html (escaped) or json.")
    ] = "md",
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="File to write (default: print to stdout)."),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="Markdown only: the short form for a pull request (goal and verdict, "
            "before/after, ticked items, environment).",
        ),
    ] = False,
) -> None:
    """The effort as a report: goal, before/after with the ratio, figures, every checklist."""
    from perfcoach.errors import UsageError
    from perfcoach.report import FORMATS, build_report, render
    from perfcoach.report.output import write_text

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if summary and fmt != "md":
        raise UsageError(f"--summary is a Markdown report: use --format md, not {fmt!r}")
    with common.store() as db:
        text = render(build_report(db, common.pack(), effort), fmt, summary)
    if output is None:
        typer.echo(text, nl=False)
        return
    path = write_text(output, text)
    typer.echo(f"wrote {path}")
