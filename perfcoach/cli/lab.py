"""`perfcoach lab …`: start, check, hint, profile and review a lab."""

from __future__ import annotations

from typing import Annotated

import typer

from perfcoach.cli import common
from perfcoach.errors import UsageError

app = typer.Typer(
    help="Work on a lab: start it, check it, get hints, profile it.", no_args_is_help=True
)

LabId = Annotated[str, typer.Argument(help="The lab id, as shown by 'perfcoach lab list'.")]
Seed = Annotated[
    int | None,
    typer.Option("--seed", min=0, help="Reuse a seed to reproduce an attempt (default: new one)."),
]


@app.command("list")
def list_labs() -> None:
    """Every lab with its level and your status."""
    from rich.table import Table

    from perfcoach.console import console
    from perfcoach.course import build_path

    pack = common.pack()
    with common.store() as db:
        state = build_path(pack, db)
    table = Table(expand=False)
    table.add_column("lab", no_wrap=True)
    table.add_column("level", no_wrap=True)
    for col in ("title", "status", "attempts"):
        table.add_column(col, overflow="fold")
    for lab in pack.ordered_labs():
        lab_state = state.lab(lab.id)
        status = lab_state.status
        style = {"passed": "green", "failing": "red", "started": "yellow"}.get(status, "")
        table.add_row(
            lab.id,
            f"{lab.level} {lab.level_name}",
            lab.title,
            f"[{style}]{status}[/]" if style else status,
            str(lab_state.attempts),
        )
    console().print(table)


@app.command("show")
def show(lab_id: LabId) -> None:
    """The lab's brief, its targets and where your copy lives."""
    from rich.markdown import Markdown

    from perfcoach.console import console
    from perfcoach.runner import workspace_dir

    lab = common.pack().lab(lab_id)
    out = console()
    out.print(Markdown(lab.brief_path.read_text(encoding="utf-8")))
    out.print(
        f"\nfiles to edit: {', '.join(str(workspace_dir(lab) / f) for f in lab.files)}",
        markup=False,
    )


@app.command("start")
def start(
    lab_id: LabId,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite your copy (backed up).")
    ] = False,
) -> None:
    """Copy the lab's starter code into your workspace and print the file to edit."""
    from perfcoach.console import console
    from perfcoach.runner import start as start_lab

    lab = common.pack().lab(lab_id)
    ws = start_lab(lab, force=force)
    out = console()
    out.print(f"[bold]{lab.title}[/] (level {lab.level} {lab.level_name})")
    if ws.backup is not None:
        out.print(f"your previous edits were saved in {ws.backup}", markup=False)
    for path in ws.files:
        state = "copied" if path in ws.written else "kept (already started; --force to reset)"
        out.print(f"edit:  {path}  [dim]({state})[/]")
    out.print(f"brief: perfcoach lab show {lab.id}", markup=False)
    out.print(f"next:  perfcoach lab check {lab.id}", markup=False)


@app.command("check")
def check(lab_id: LabId, seed: Seed = None) -> None:
    """Grade your code: correctness on fresh inputs, then each metric against its target.

    Exit code 0 when every target is met, 1 otherwise (fail, inconclusive, timeout, error, oom).
    """
    from perfcoach.console import console, print_check
    from perfcoach.runner import require, run_check

    lab = common.pack().lab(lab_id)
    folder = require(lab)
    with common.store() as db:
        hints_used = db.hints_revealed(lab.id)
        err = console(stderr=True)
        with err.status(f"checking {lab.id} (timeout {lab.timeout_s}s)…"):
            result = run_check(lab, folder, seed)
        db.record_attempt(result.attempt(hints_used))
    print_check(console(), result, _next_step(lab.id, result.verdict, hints_used, len(lab.hints)))
    if not result.passed:
        raise typer.Exit(1)


@app.command("watch")
def watch(lab_id: LabId) -> None:
    """Check now, then again every time you save the file; Ctrl-C stops watching."""
    import time

    from perfcoach.console import console, print_check
    from perfcoach.runner import require, run_check
    from perfcoach.runner.watch import POLL_INTERVAL_S, FileWatcher

    lab = common.pack().lab(lab_id)
    folder = require(lab)
    out = console()
    watcher = FileWatcher([folder / name for name in lab.files])
    try:
        while True:
            with common.store() as db:
                hints_used = db.hints_revealed(lab.id)
                with console(stderr=True).status(f"checking {lab.id}…"):
                    result = run_check(lab, folder)
                db.record_attempt(result.attempt(hints_used))
            print_check(out, result, _next_step(lab.id, result.verdict, hints_used, len(lab.hints)))
            out.print(
                f"[dim]watching {', '.join(lab.files)}: save to check again, Ctrl-C to stop[/]"
            )
            while not watcher.changed():
                time.sleep(POLL_INTERVAL_S)
    except KeyboardInterrupt:
        out.print("stopped watching")


def _next_step(lab_id: str, verdict: str, hints_used: int, hints: int) -> str:
    if verdict == "pass":
        return f"next: compare with the reference: perfcoach lab solution {lab_id}"
    if verdict == "inconclusive":
        return f"next: run 'perfcoach lab check {lab_id}' again on a quieter machine"
    if hints_used < hints:
        return f"stuck? perfcoach lab hint {lab_id}  (hint {hints_used + 1} of {hints})"
    return f"all hints revealed; profile it: perfcoach lab profile {lab_id} --with cprofile"


@app.command("hint")
def hint(lab_id: LabId) -> None:
    """Reveal the next hint (hints escalate; each one is recorded)."""
    from perfcoach.console import console

    lab = common.pack().lab(lab_id)
    out = console()
    with common.store() as db:
        shown = db.hints_revealed(lab.id)
        if shown < len(lab.hints):
            db.reveal_hint(lab.id, shown)
            shown += 1
            out.print(f"[bold]hint {shown} of {len(lab.hints)}[/]")
            out.print(lab.hints[shown - 1], markup=False)
        else:
            out.print(f"all {len(lab.hints)} hints are revealed:")
            for i, text in enumerate(lab.hints, 1):
                out.print(f"{i}. {text}", markup=False)
            out.print(
                f"still stuck? 'perfcoach lab solution {lab.id} --give-up' shows the "
                "reference (recorded)",
                markup=False,
            )


@app.command("solution")
def solution(
    lab_id: LabId,
    give_up: Annotated[
        bool, typer.Option("--give-up", help="See it before passing (recorded as a give-up).")
    ] = False,
) -> None:
    """Show the reference solution: unlocked by a pass, or by --give-up."""
    from rich.syntax import Syntax

    from perfcoach.console import console

    lab = common.pack().lab(lab_id)
    with common.store() as db:
        unlocked = db.solution_unlocked(lab.id)
        if not unlocked and not give_up:
            raise UsageError(
                f"the solution of '{lab.id}' unlocks after a pass; to see it now, "
                f"run 'perfcoach lab solution {lab.id} --give-up' (recorded)"
            )
        passed = db.lab_progress(lab.id).status == "passed"
        db.record_solution_view(lab.id, gave_up=not passed)
    out = console()
    for name in lab.files:
        path = lab.solution_dir / name
        out.print(f"[bold]{path}[/]")
        out.print(Syntax(path.read_text(encoding="utf-8"), "python", word_wrap=True))


@app.command("reset")
def reset(
    lab_id: LabId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Put the starter code back (your edits are backed up first)."""
    from perfcoach.runner import start as start_lab
    from perfcoach.runner.workspace import edited_files

    lab = common.pack().lab(lab_id)
    question = f"replace your edits to {lab.id} with the starter?"
    if edited_files(lab) and not yes:
        try:
            confirmed = typer.confirm(question, default=False)
        except typer.Abort:
            raise UsageError(
                f"'lab reset {lab.id}' would replace your edits: add --yes to confirm"
            ) from None
        if not confirmed:
            raise typer.Exit(1)
    ws = start_lab(lab, force=True)
    if ws.backup is not None:
        typer.echo(f"your edits were saved in {ws.backup}")
    for path in ws.files:
        typer.echo(f"reset: {path}")


@app.command("profile")
def profile(
    lab_id: LabId,
    with_: Annotated[
        str, typer.Option("--with", help="cprofile (functions), scalene (lines) or memory.")
    ] = "cprofile",
    seed: Seed = None,
) -> None:
    """Run the lab's workload on your code under a profiler and show the top entries."""
    from perfcoach.console import console, profile_table
    from perfcoach.runner import PROFILERS, require
    from perfcoach.runner.profile import profile as run_profile

    if with_ not in PROFILERS:
        raise UsageError(f"unknown profiler '{with_}' (choose: {', '.join(PROFILERS)})")
    lab = common.pack().lab(lab_id)
    folder = require(lab)
    with console(stderr=True).status(f"profiling {lab.id} with {with_}…"):
        result = run_profile(lab, folder, with_, seed)
    out = console()
    out.print(profile_table(result))
    out.print(f"[dim]seed {result['seed']} · bold rows are your code[/]")


@app.command("history")
def history(
    lab_id: LabId,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many attempts.")] = 20,
) -> None:
    """Your attempts on a lab, newest first, with the primary metric."""
    from rich.table import Table

    from perfcoach.console import console, fmt_number, verdict_text

    lab = common.pack().lab(lab_id)
    primary = lab.metrics[0]
    with common.store() as db:
        attempts = db.attempts(lab.id, limit=limit)
    if not attempts:
        typer.echo(f"no attempts on {lab.id} yet: perfcoach lab check {lab.id}")
        return
    table = Table(expand=False)
    for col in ("when (UTC)", "verdict", primary.title, "hints", "seconds", "code"):
        table.add_column(col)
    for a in attempts:
        value = (a.metrics.get(primary.name) or {}).get("value")
        table.add_row(
            a.started.strftime("%Y-%m-%d %H:%M"),
            verdict_text(a.verdict),
            fmt_number(value),
            str(a.hints_used),
            f"{a.duration_s:.1f}",
            a.code_hash,
        )
    console().print(table)
