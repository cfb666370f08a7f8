"""`perfcoach dev …`: tools for lab authors, run in CI on every pack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from perfcoach.safetext import inert

app = typer.Typer(help="Tools for lab authors.", no_args_is_help=True, rich_markup_mode=None)


@app.command("check")
def check(
    pack_dir: Annotated[
        Path | None,
        typer.Argument(
            help="A content pack folder (default: the built-in pack).",
            exists=True,
            file_okay=False,
            resolve_path=True,
        ),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Prove each lab this many times.")] = 1,
    lab_ids: Annotated[
        list[str] | None, typer.Option("--lab", help="Only this lab (repeatable).")
    ] = None,
) -> None:
    """Validate every manifest, lint every quiz, and prove each lab: the starter fails, the
    solution passes."""
    from rich.table import Table
    from rich.text import Text

    from perfcoach.catalog import lint_quizzes, read_pack
    from perfcoach.catalog.lesson import CHOICE_LETTERS
    from perfcoach.console import console, verdict_text
    from perfcoach.dev import prove_lab
    from perfcoach.errors import UsageError
    from perfcoach.paths import builtin_pack_root

    out = console()
    pack = read_pack(pack_dir or builtin_pack_root())
    for problem in pack.problems:
        out.print(Text.assemble(("invalid", "red"), f" {inert(str(problem))}"), soft_wrap=True)
    labs = pack.ordered_labs()
    if lab_ids:
        labs = [pack.lab(lab_id) for lab_id in lab_ids]
    if not labs and not pack.problems:
        raise UsageError(f"{pack.root} holds no labs")
    failures = len(pack.problems)
    problems: list[str] = []
    quizzes = Table(title=Text(f"quiz lint: {pack.root}"), title_justify="left", expand=False)
    for col in ("lesson", "questions", "right is longest", "most common position", "ok"):
        quizzes.add_column(col, overflow="fold")
    for lint in lint_quizzes(pack.ordered_lessons()):
        failures += 1 if lint.problems else 0
        quizzes.add_row(
            lint.lesson_id,
            str(lint.questions),
            f"{lint.longest}/{lint.questions}",
            f"{CHOICE_LETTERS[lint.position]} {lint.at_position}/{lint.questions}",
            "[red]NO[/]" if lint.problems else "[green]ok[/]",
        )
        problems += [f"quiz of {lint.lesson_id}: {problem}" for problem in lint.problems]
    if pack.lessons:
        out.print(quizzes)
    table = Table(title=Text(f"dev check: {pack.root}"), title_justify="left", expand=False)
    for col in ("lab", "run", "starter", "solution", "seconds", "ok"):
        table.add_column(col, overflow="fold")
    with console(stderr=True).status("proving labs…") as status:
        for lab in labs:
            for run in range(1, runs + 1):
                status.update(f"proving {lab.id} ({run}/{runs})…")
                proof = prove_lab(lab)
                failures += 0 if proof.ok else 1
                table.add_row(
                    lab.id,
                    str(run),
                    verdict_text(proof.starter.verdict),
                    verdict_text(proof.solution.verdict),
                    f"{proof.starter.duration_s:.1f} + {proof.solution.duration_s:.1f}",
                    "[green]ok[/]" if proof.ok else "[red]NO[/]",
                )
                problems += [f"{lab.id} run {run}: {problem}" for problem in proof.problems]
    out.print(table)
    for problem in problems:
        out.print(Text.assemble(("problem", "red"), f" {inert(problem)}"), soft_wrap=True)
    if failures:
        out.print(f"[red]{failures} problem(s)[/]")
        raise typer.Exit(1)
    out.print(f"[green]{len(labs)} lab(s) proven[/] ({runs} run(s) each)")
