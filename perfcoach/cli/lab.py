"""`perfcoach lab …`: start, check, hint, profile and review a lab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from perfcoach.cli import common
from perfcoach.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from perfcoach.catalog import Pack
    from perfcoach.coach import CheckOutcome

app = typer.Typer(
    help="Work on a lab: start it, check it, get hints, profile it.", no_args_is_help=True
)

LabId = Annotated[str, typer.Argument(help="The lab id, as shown by 'perfcoach lab list'.")]
CurrentLabId = Annotated[
    str | None,
    typer.Argument(
        help="The lab id; default: the current lab, the one you last started (with "
        "'lab start' or 'perfcoach next', or started in the app) or checked.",
        show_default=False,
    ),
]
NARROW_COLUMNS = 72  # below this, `lab list` drops the level and title columns
HISTORY_CHART_HEIGHT = 10  # rows of `lab history`'s chart, axis included
Full = Annotated[
    bool,
    typer.Option(
        "--full",
        help="Time every metric, even when a counted one already misses its target "
        "(slower; by default such a check stops timing: the verdict is a fail anyway).",
    ),
]
Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        min=0,
        max=2**63 - 1,  # stored with the attempt as a SQLite integer
        help="Reuse a seed to reproduce an attempt (default: new one).",
    ),
]


@app.command("list")
def list_labs() -> None:
    """Every lab in path order, with its level and your status.

    (current) marks the lab that 'lab check', 'lab hint' and 'lab watch' act on without an id.
    """
    from rich import box
    from rich.table import Table

    from perfcoach.console import console
    from perfcoach.course import build_path

    pack = common.pack()
    with common.store() as db:
        state = build_path(pack, db)
        current = db.current_lab()
    out = console()
    # Under 72 columns only the lab and its status stay: the status is what the list is for.
    wide = out.width >= NARROW_COLUMNS
    table = Table(expand=False, box=box.HEAVY_HEAD if wide else box.SIMPLE_HEAD)
    table.add_column("lab", no_wrap=True)
    if wide:
        table.add_column("level", overflow="fold")
        table.add_column("title", overflow="fold")
    table.add_column("status", min_width=len("not started"))
    if wide:
        table.add_column("attempts", no_wrap=True, justify="right")
    for lab in pack.ordered_labs():
        lab_state = state.lab(lab.id)
        status = lab_state.status
        style = {"passed": "green", "failing": "red", "started": "yellow"}.get(status, "")
        mark = " [bold](current)[/]" if lab.id == current else ""
        shown = (f"[{style}]{status}[/]" if style else status) + mark
        if wide:
            row = [f"{lab.level} {lab.level_name}", lab.title, shown, str(lab_state.attempts)]
        else:
            row = [shown]
        table.add_row(lab.id, *row)
    out.print(table)


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
    """Copy the lab's starter code into your workspace and print the file to edit.

    The lab becomes the current lab: 'lab check', 'lab hint' and 'lab watch' act on it.
    """
    start_in(common.pack(), lab_id, force)


def start_in(pack: Pack, lab_id: str, force: bool = False) -> None:
    """Start a lab of an already loaded pack and say what to edit (shared with `next`)."""
    from rich.text import Text

    from perfcoach.coach import start_lab
    from perfcoach.console import console

    lab = pack.lab(lab_id)
    with common.store() as db:
        ws = start_lab(db, lab, force=force)
    out = console()
    out.print(Text.assemble((lab.title, "bold"), f" (level {lab.level} {lab.level_name})"))
    if ws.backup is not None:
        out.print(f"your previous edits were saved in {ws.backup}", markup=False)
    for path in ws.files:
        state = "copied" if path in ws.written else "kept (already started; --force to reset)"
        out.print(Text.assemble("edit:  ", str(path), "  ", (f"({state})", "dim")))
    out.print(f"brief: perfcoach lab show {lab.id}", markup=False)
    out.print("next:  perfcoach lab check  (checks the current lab: this one)", markup=False)


@app.command("check")
def check(lab_id: CurrentLabId = None, seed: Seed = None, full: Full = False) -> None:
    """Grade your code: correctness on fresh inputs, then each metric against its target.

    Without an id, checks the current lab. Exit code 0 when every target is met, 1
    otherwise (fail, inconclusive, timeout, error, oom).
    """
    from perfcoach.coach import record_check, resolve_lab
    from perfcoach.console import console
    from perfcoach.runner import require, run_check

    pack = common.pack()
    with common.store() as db:
        lab = resolve_lab(db, pack, lab_id)
        folder = require(lab)
        with console(stderr=True).status(f"checking {lab.id} (timeout {lab.timeout_s}s)…"):
            result = run_check(lab, folder, seed, time_all=full)
        outcome = record_check(db, pack, lab, result)
    print_outcome(console(), outcome)
    if not result.passed:
        raise typer.Exit(1)


@app.command("watch")
def watch(lab_id: CurrentLabId = None, full: Full = False) -> None:
    """Check now, then again every time you save the file; Ctrl-C stops watching.

    Without an id, watches the current lab.
    """
    import time

    from perfcoach.coach import record_check, resolve_lab
    from perfcoach.console import console
    from perfcoach.runner import require, run_check
    from perfcoach.runner.watch import POLL_INTERVAL_S, FileWatcher

    pack = common.pack()
    with common.store() as db:
        lab = resolve_lab(db, pack, lab_id)
    folder = require(lab)
    out = console()
    watcher = FileWatcher([folder / name for name in lab.files])
    try:
        while True:
            with console(stderr=True).status(f"checking {lab.id}…"):
                result = run_check(lab, folder, time_all=full)
            with common.store() as db:
                outcome = record_check(db, pack, lab, result)
            print_outcome(out, outcome)
            out.print(
                f"[dim]watching {', '.join(lab.files)}: save to check again, Ctrl-C to stop[/]"
            )
            while not watcher.changed():
                time.sleep(POLL_INTERVAL_S)
    except KeyboardInterrupt:
        out.print("stopped watching")


def print_outcome(out: Console, outcome: CheckOutcome) -> None:
    """The verdict, the next step, and after a pass the next lab and a finished level."""
    from perfcoach.coach import Move
    from perfcoach.console import print_check

    lab_id = outcome.result.lab_id
    advice = {
        Move.SOLUTION: f"next: compare with the reference: perfcoach lab solution {lab_id} --diff",
        Move.RECHECK: f"next: run 'perfcoach lab check {lab_id}' again on a quieter machine",
        Move.HINT: f"stuck? perfcoach lab hint {lab_id}  "
        f"(hint {outcome.next_hint} of {outcome.hints_total})",
        Move.PROFILE: "all hints revealed; profile it: "
        f"perfcoach lab profile {lab_id} --with cprofile",
    }[outcome.move]
    print_check(out, outcome.result, advice)
    if outcome.level_done is not None:
        common.announce_level(out, outcome.level_done)
    if not outcome.result.passed:
        return
    if outcome.next_lab is None:
        out.print("that was the last lab left to pass on the path: well done", markup=False)
    else:
        nxt = outcome.next_lab
        out.print(
            f"next lab: {nxt.id} ({nxt.title}, level {nxt.level}): perfcoach lab start {nxt.id}",
            markup=False,
        )
    step = outcome.next_step
    if step is not None and step.kind == "lesson":
        out.print(
            f"on the path first: lesson {step.id} ({step.title}): perfcoach next", markup=False
        )


@app.command("hint")
def hint(lab_id: CurrentLabId = None) -> None:
    """Reveal the next hint (hints escalate; each one is recorded).

    Without an id, gives a hint for the current lab.
    """
    from perfcoach.coach import resolve_lab, reveal_hint
    from perfcoach.console import console

    pack = common.pack()
    out = console()
    with common.store() as db:
        lab = resolve_lab(db, pack, lab_id)
        hints = reveal_hint(db, lab)
    if hints.new:
        out.print(f"[bold]hint {len(hints.shown)} of {hints.total}[/]")
        out.print(hints.shown[-1], markup=False)
        return
    out.print(f"all {hints.total} hints are revealed:")
    for i, text in enumerate(hints.shown, 1):
        out.print(f"{i}. {text}", markup=False)
    out.print(
        f"still stuck? 'perfcoach lab solution {lab.id} --give-up' shows the reference (recorded)",
        markup=False,
    )


@app.command("solution")
def solution(
    lab_id: LabId,
    give_up: Annotated[
        bool, typer.Option("--give-up", help="See it before passing (recorded as a give-up).")
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Show a unified diff from your file to the reference."),
    ] = False,
) -> None:
    """Show the reference solution: unlocked by a pass, or by --give-up."""
    from rich.syntax import Syntax
    from rich.text import Text

    from perfcoach.coach import open_solution, solution_diff
    from perfcoach.console import console
    from perfcoach.runner import require
    from perfcoach.safetext import inert

    lab = common.pack().lab(lab_id)
    if diff:
        require(lab)  # no file to compare: say so before recording a view
    with common.store() as db:
        files = open_solution(db, lab, give_up=give_up)
    out = console()
    if diff:
        lines = solution_diff(lab, files)
        if not lines:
            out.print("your code is the reference, line for line", markup=False)
            return
        for line in lines:
            out.print(Text(inert(line.rstrip("\n")), style=_diff_style(line)), soft_wrap=True)
        return
    for ref in files:
        out.print(Text(str(ref.path), style="bold"))
        out.print(Syntax(ref.text, "python", word_wrap=True))


def _diff_style(line: str) -> str:
    """Colour a unified diff line the way git does; piped output stays plain text."""
    if line.startswith(("---", "+++")):
        return "bold"
    return {"-": "red", "+": "green", "@": "cyan"}.get(line[:1], "")


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
    """Your attempts on a lab, newest first, with the primary metric charted against its
    target."""
    from rich.table import Table
    from rich.text import Text

    from perfcoach.coach import history as attempts_of
    from perfcoach.console import (
        CHART_WIDTH,
        attempts_caption,
        attempts_chart,
        console,
        verdict_text,
    )
    from perfcoach.numbers import number

    lab = common.pack().lab(lab_id)
    with common.store() as db:
        rows = attempts_of(db, lab, limit)
    if not rows:
        typer.echo(f"no attempts on {lab.id} yet: perfcoach lab check {lab.id}")
        return
    table = Table(expand=False)
    for col in ("when (UTC)", "verdict", lab.metrics[0].title, "hints", "seconds", "code"):
        table.add_column(col)
    for row in rows:
        table.add_row(
            row.started.strftime("%Y-%m-%d %H:%M"),
            verdict_text(row.verdict),
            number(row.value),
            str(row.hints_used),
            f"{row.duration_s:.1f}",
            row.code_hash,
        )
    out = console()
    measured = [row for row in reversed(rows) if row.value is not None]
    if measured:
        target = measured[-1].target
        out.print(Text(attempts_caption(lab.metrics[0], len(measured), target)))
        chart = attempts_chart(
            [row.value for row in measured if row.value is not None],
            target,
            min(out.width, CHART_WIDTH),
            HISTORY_CHART_HEIGHT,
        )
        out.print(Text(chart), no_wrap=True, overflow="ignore", crop=False)
    out.print(table)
