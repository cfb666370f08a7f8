"""`perfcoach lesson …`: read the lesson behind each lab, in the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from perfcoach.cli import common

if TYPE_CHECKING:
    from rich.console import Console

    from perfcoach.catalog import Lesson, Pack
    from perfcoach.quiz import ShownQuestion

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
    for lesson in pack.ordered_lessons():
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

    pack = common.pack()
    lesson = _lesson(pack, lesson_id)
    out = console()
    out.print(lesson.title, style="bold", markup=False)
    for objective in lesson.objectives:
        out.print(f"  • {objective}", markup=False)
    out.print(Markdown(lesson.body))
    labs = [lab.id for lab in pack.ordered_labs() if lab.module == lesson.id]
    out.print(f"test yourself: perfcoach lesson quiz {lesson.id}", markup=False)
    if labs:
        out.print(f"practise it: perfcoach lab start {labs[0]}", markup=False)
    from perfcoach.coach import read_lesson

    with common.store() as db:
        level = read_lesson(db, pack, lesson.id)
    if level is not None:
        common.announce_level(out, level)


def _lesson(pack: Pack, lesson_id: str) -> Lesson:
    """The lesson called lesson_id, or a usage error listing the ones in path order."""
    from perfcoach.errors import UsageError

    lesson = pack.lessons.get(lesson_id)
    if lesson is None:
        known = ", ".join(item.id for item in pack.ordered_lessons()) or "none"
        raise UsageError(f"unknown lesson '{lesson_id}' (lessons: {known})")
    return lesson


@app.command("quiz")
def quiz(
    lesson_id: Annotated[str, typer.Argument(help="The lesson id, from 'perfcoach lesson list'.")],
) -> None:
    """Take a lesson's quiz: each answer is recorded and explained; your first try scores."""
    from rich.text import Text

    from perfcoach.console import console
    from perfcoach.quiz import answer_question, score_text, shown_quiz

    pack = common.pack()
    lesson = _lesson(pack, lesson_id)
    out = console()
    with common.store() as db:
        before = db.quiz_scores().get(lesson.id)
        out.print(
            Text.assemble((f"Quiz: {lesson.title}", "bold"), f" ({len(lesson.quiz)} questions)")
        )
        if before is not None:
            out.print(
                f"already taken ({score_text(before, len(lesson.quiz))}): these answers are "
                "retakes, your score stays your first try",
                markup=False,
            )
        try:
            for shown in shown_quiz(db, lesson):
                choice = _ask(out, shown, len(lesson.quiz))
                result = answer_question(db, shown, lesson.id, choice)
                if result.right:
                    out.print("[bold green]✔ Right.[/]")
                else:
                    out.print("[bold red]✘ Not quite.[/] The answer is", end=" ")
                    out.print(f"{result.answer_letter}. {result.answer_text}", markup=False)
                out.print(result.explanation, markup=False)
        except KeyboardInterrupt:
            typer.echo("\ninterrupted: the answers given so far are recorded", err=True)
            raise typer.Exit(130) from None
        score = db.quiz_scores().get(lesson.id)
    out.print(f"score: {score_text(score, len(lesson.quiz))}", markup=False)


def _ask(out: Console, shown: ShownQuestion, total: int) -> int:
    """Show one question with lettered choices and read a letter; returns the authored index.

    Input that ends, or a wrong letter when no one is typing, stops the quiz with one line."""
    from rich.table import Table
    from rich.text import Text

    from perfcoach.errors import UsageError

    out.print()
    out.print(f"Q{shown.index + 1}/{total}. {shown.question.question}", markup=False)
    choices = shown.choices
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for letter, _, text in choices:
        grid.add_row(f" {letter}.", Text(text))
    out.print(grid)
    letters = [letter for letter, _, _ in choices]
    prompt = f"answer ({', '.join(letters)}): "
    while True:
        out.print(prompt, end="", markup=False)
        line = sys.stdin.readline()
        if not sys.stdin.isatty() or not line:
            out.print(line.strip(), markup=False)  # the reply, or the newline Ctrl-D left out
        if not line:
            raise UsageError(
                f"no answer to question {shown.index + 1}: input ended (the quiz needs a "
                "terminal or one letter per line); earlier answers are recorded"
            )
        reply = line.strip().upper()
        for letter, authored, _ in choices:
            if reply == letter:
                return authored
        if not sys.stdin.isatty():
            raise UsageError(
                f"{line.strip()!r} is not one of {', '.join(letters)} (question "
                f"{shown.index + 1}); earlier answers are recorded"
            )
        out.print(f"type one of {', '.join(letters)}", markup=False)
