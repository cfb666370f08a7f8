"""`perfcoach progress`: where you are on the mastery path; export, import and reset it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from perfcoach.cli import common

app = typer.Typer(
    help="Where you are on the mastery path (no subcommand); export, import or reset it.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def progress(ctx: typer.Context) -> None:
    """Labs passed per level, attempts, hints and time spent; or a subcommand below."""
    if ctx.invoked_subcommand is None:
        show()


def show() -> None:
    """Labs passed and lessons read per level, quiz scores, attempts, time and streak."""
    from rich.table import Table

    from perfcoach.console import console
    from perfcoach.course import build_path

    pack = common.pack()
    with common.store() as db:
        state = build_path(pack, db)
    out = console()
    table = Table(title="mastery path", title_justify="left", expand=False)
    for col in ("level", "lessons read", "quiz", "labs passed", "attempts"):
        table.add_column(col)
    for level in state.levels:
        if not level.modules:
            table.add_row(f"{level.level} {level.name}", "—", "—", "—", "[dim]coming soon[/]")
            continue
        lessons = [m for m in level.modules if m.lesson is not None]
        labs = [lab for m in level.modules for lab in m.labs]
        questions = sum(len(m.lesson.quiz) for m in lessons if m.lesson is not None)
        right = sum(m.quiz.correct for m in lessons if m.quiz is not None)
        done = " [green]✔ complete[/]" if level.done else ""
        table.add_row(
            f"{level.level} {level.name}{done}",
            f"{sum(m.read for m in lessons)}/{len(lessons)}",
            f"{right}/{questions}",
            f"{sum(lab.done for lab in labs)}/{len(labs)}",
            str(sum(lab.attempts for lab in labs)),
        )
    out.print(table)
    totals = state.totals
    days = "day" if state.streak == 1 else "days"
    out.print(
        f"attempts {totals['attempts']} · labs passed {totals['labs_passed']}/{len(pack.labs)}"
        f" · hints revealed {totals['hints_revealed']} · checking time "
        f"{totals['time_spent_s'] / 60:.1f} min · streak {state.streak} {days}"
    )
    if state.next is None:
        out.print("every lesson read and every lab passed", markup=False)
    elif state.next.kind == "lesson":
        out.print(f"next: perfcoach lesson show {state.next.id}", markup=False)
    else:
        out.print(f"next: perfcoach lab start {state.next.id}", markup=False)


@app.command("export")
def export(
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="File to write (default: print to stdout)."),
    ] = None,
) -> None:
    """Everything you did (attempts, hints, lessons, quiz answers, efforts) as versioned JSON."""
    import json

    from perfcoach.report.output import write_text
    from perfcoach.safetext import inert_json
    from perfcoach.store import export_progress

    with common.store() as db:
        document = export_progress(db)
    text = inert_json(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    path = write_text(output, text)
    counts = ", ".join(f"{len(rows)} {table}" for table, rows in document["tables"].items() if rows)
    typer.echo(f"wrote {path} ({counts or 'no progress yet'})")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(dir_okay=False, help="A file written by 'perfcoach progress export'.")
    ],
) -> None:
    """Merge an export into your progress; rows you already have are skipped, never doubled."""
    from perfcoach.errors import UsageError
    from perfcoach.paths import db_path
    from perfcoach.store import import_progress, read_progress_file

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read {file}: {reason or exc}") from None
    tables = read_progress_file(text, str(file))
    with common.store() as db:
        report = import_progress(db, tables)
    added = ", ".join(f"{n} {table}" for table, n in report.added.items() if n)
    skipped = sum(report.skipped.values())
    typer.echo(f"imported {added or 'nothing new'} into {db_path()}")
    if skipped:
        typer.echo(f"skipped {skipped} row(s) you already had")


@app.command("reset")
def reset(
    lab: Annotated[
        str | None, typer.Option("--lab", help="Forget one lab's attempts, hints, solution views.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Forget all lab and lesson progress (needs --yes).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --all.")] = False,
) -> None:
    """Forget progress on one lab or on everything; efforts and checklists are kept.

    A JSON export of your progress is written first (the path is printed), so a reset can
    be undone with 'perfcoach progress import'.
    """
    from perfcoach.efforts import save_backup
    from perfcoach.errors import UsageError
    from perfcoach.paths import home_dir
    from perfcoach.store import reset_progress

    if (lab is None) == (not all_):
        raise UsageError("say what to reset: --lab ID, or --all --yes")
    if all_ and not yes:
        raise UsageError("--all forgets every attempt, hint and lesson read: add --yes to confirm")
    with common.store() as db:
        if lab is not None and lab not in db.all_progress():
            common.pack().lab(lab)  # an unknown id is a usage error naming the labs
        backup = save_backup(db, home_dir() / "backups")
        deleted = reset_progress(db, lab)
    typer.echo(f"saved a copy of your progress first: {backup}")
    what = f"lab {lab}" if lab else "all lab and lesson progress"
    counts = ", ".join(f"{n} {table}" for table, n in deleted.items() if n)
    typer.echo(f"reset {what}: deleted {counts or 'nothing (no progress recorded)'}")
    typer.echo(f"undo with: perfcoach progress import {backup}")
