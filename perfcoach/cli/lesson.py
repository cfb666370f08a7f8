"""`perfcoach lesson …`: read the lesson behind each lab, in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from perfcoach.cli import common

app = typer.Typer(help="Read the lessons of the mastery path.", no_args_is_help=True)


@app.command("list")
def list_lessons() -> None:
    """Every lesson in path order, its labs, and whether you have read it."""
    from rich.table import Table

    from perfcoach.console import console

    pack = common.pack()
    with common.store() as db:
        read = db.lessons_read()
    table = Table(expand=False)
    for col in ("lesson", "level", "title", "labs", "read"):
        table.add_column(col, overflow="fold")
    for lesson in sorted(pack.lessons.values(), key=lambda item: (item.level, item.id)):
        labs = ", ".join(lab.id for lab in pack.ordered_labs() if lab.module == lesson.id)
        table.add_row(
            lesson.id,
            str(lesson.level),
            lesson.title,
            labs or "—",
            "[green]yes[/]" if lesson.id in read else "no",
        )
    console().print(table)


@app.command("show")
def show(
    lesson_id: Annotated[str, typer.Argument(help="The lesson id, from 'perfcoach lesson list'.")],
) -> None:
    """Render a lesson and mark it read."""
    from rich.markdown import Markdown

    from perfcoach.console import console
    from perfcoach.errors import UsageError

    pack = common.pack()
    lesson = pack.lessons.get(lesson_id)
    if lesson is None:
        known = ", ".join(sorted(pack.lessons)) or "none"
        raise UsageError(f"unknown lesson '{lesson_id}' (lessons: {known})")
    out = console()
    out.print(f"[bold]{lesson.title}[/]")
    for objective in lesson.objectives:
        out.print(f"  • {objective}", markup=False)
    out.print(Markdown(lesson.body))
    labs = [lab.id for lab in pack.ordered_labs() if lab.module == lesson.id]
    if labs:
        out.print(f"practise it: perfcoach lab start {labs[0]}", markup=False)
    with common.store() as db:
        db.mark_lesson_read(lesson.id)
