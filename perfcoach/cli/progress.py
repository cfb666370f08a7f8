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
    """Labs passed per level, attempts, hints and time spent."""
    from rich.table import Table

    from perfcoach.catalog import LEVELS
    from perfcoach.console import console

    pack = common.pack()
    with common.store() as db:
        progress = db.all_progress()
        totals = db.totals()
        lessons_read = db.lessons_read()
    out = console()
    table = Table(title="mastery path", title_justify="left", expand=False)
    for col in ("level", "labs passed", "lessons read", "next lab"):
        table.add_column(col)
    for level, name in LEVELS.items():
        labs = [lab for lab in pack.ordered_labs() if lab.level == level]
        lessons = [lesson for lesson in pack.lessons.values() if lesson.level == level]
        if not labs and not lessons:
            table.add_row(f"{level} {name}", "—", "—", "[dim]coming soon[/]")
            continue
        passed = [lab for lab in labs if (p := progress.get(lab.id)) and p.status == "passed"]
        todo = [lab for lab in labs if lab not in passed]
        read = sum(1 for lesson in lessons if lesson.id in lessons_read)
        table.add_row(
            f"{level} {name}",
            f"{len(passed)}/{len(labs)}",
            f"{read}/{len(lessons)}",
            todo[0].id if todo else "[green]done[/]",
        )
    out.print(table)
    minutes = totals.get("time_spent_s", 0) / 60
    out.print(
        f"attempts {totals.get('attempts', 0)} · labs passed {totals.get('labs_passed', 0)}"
        f"/{len(pack.labs)} · hints revealed {totals.get('hints_revealed', 0)} · "
        f"checking time {minutes:.1f} min"
    )
    upcoming = [
        lab
        for lab in pack.ordered_labs()
        if not ((p := progress.get(lab.id)) and p.status == "passed")
    ]
    if upcoming:
        out.print(f"next: perfcoach lab start {upcoming[0].id}", markup=False)


@app.command("export")
def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", dir_okay=False, help="File to write (default: print to stdout)."
        ),
    ] = None,
) -> None:
    """Everything you did (attempts, hints, lessons, quiz answers, efforts) as versioned JSON."""
    import json

    from perfcoach.report.output import write_text
    from perfcoach.store import export_progress

    with common.store() as db:
        document = export_progress(db)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
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
    import json
    from datetime import UTC, datetime

    from perfcoach.errors import UsageError
    from perfcoach.paths import home_dir
    from perfcoach.report.output import write_text
    from perfcoach.store import export_progress, reset_progress

    if (lab is None) == (not all_):
        raise UsageError("say what to reset: --lab ID, or --all --yes")
    if all_ and not yes:
        raise UsageError("--all forgets every attempt, hint and lesson read: add --yes to confirm")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%f")
    with common.store() as db:
        if lab is not None and lab not in db.all_progress():
            common.pack().lab(lab)  # an unknown id is a usage error naming the labs
        backup = write_text(
            home_dir() / "backups" / f"progress-{stamp}.json",
            json.dumps(export_progress(db), indent=2, sort_keys=True) + "\n",
        )
        deleted = reset_progress(db, lab)
    typer.echo(f"saved a copy of your progress first: {backup}")
    what = f"lab {lab}" if lab else "all lab and lesson progress"
    counts = ", ".join(f"{n} {table}" for table, n in deleted.items() if n)
    typer.echo(f"reset {what}: deleted {counts or 'nothing (no progress recorded)'}")
    typer.echo(f"undo with: perfcoach progress import {backup}")
