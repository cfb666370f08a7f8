"""Starting perfcoach: the checks every run makes on its terminal, `perfcoach` alone opening
the app without building the CLI (typer and the validation layer under it cost ~100 ms
that the first screen does not need), and `perfcoach --help` printed from the text typer
renders for it (help.txt, kept equal to typer's output by a test), which takes typer's
~50 ms of imports off the most common first command."""

from __future__ import annotations

import os
import sys

DEBUG_ENV = "PERFCOACH_DEBUG"


def main() -> None:
    """Console-script entry point: the app for `perfcoach` and `perfcoach tui`, else the CLI."""
    from perfcoach.startup_gc import collect_from_here, defer_collection

    defer_collection()
    try:
        if sys.argv[1:] in ([], ["tui"]):
            raise SystemExit(_app_alone())
        if sys.argv[1:] in (["--help"], ["-h"]) and _print_help():
            return
        from perfcoach.cli.app import main as cli
    finally:
        collect_from_here()  # before any command runs (the app does it before its first frame)
    cli()


def check_output() -> None:
    """A closed stdout is an error, not a silent success; characters the terminal's encoding
    cannot show (PYTHONIOENCODING=ascii) are replaced instead of ending the command."""
    if sys.stdout is None:
        if sys.stderr is not None:
            print(
                "error: standard output is closed: perfcoach has nowhere to write", file=sys.stderr
            )
        raise SystemExit(2)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


HELP_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "help.txt")
HELP_COLUMNS = 80  # click wraps help to min(terminal width, 80) - 2: help.txt's width


def _print_help() -> bool:
    """Print the root help as typer would, where it would come out the same: a terminal at
    least HELP_COLUMNS wide (or none). False leaves it to typer."""
    if _terminal_columns() < HELP_COLUMNS:
        return False
    try:
        with open(HELP_FILE, encoding="utf-8") as file:
            text = file.read()
    except OSError:
        return False
    check_output()
    sys.stdout.write(text)
    return True


def _terminal_columns() -> int:
    """The width click's help formatter sees (shutil.get_terminal_size, without importing
    shutil): COLUMNS when set, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def open_app() -> None:
    """Open the full-screen app, or refuse at once where it could only hang."""
    from perfcoach.errors import UsageError
    from perfcoach.tui.app import FIRST_SCREEN_ENV, run_tui

    # Without a terminal the app writes escape codes into a pipe and waits for keys that
    # never come; the first-screen mode (benchmarks, a smoke test) exits on its own.
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get(FIRST_SCREEN_ENV):
        raise UsageError(
            "the full-screen app needs a terminal on stdin and stdout; in scripts and pipes "
            "use the commands (perfcoach --help)"
        )
    run_tui()


def _app_alone() -> int:
    """open_app() with the CLI's one-line errors, for the path that skips the CLI."""
    from perfcoach.errors import PerfcoachError
    from perfcoach.safetext import inert

    check_output()
    try:
        open_app()
    except PerfcoachError as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"error: {inert(str(exc))}", file=sys.stderr)
        return exc.exit_code
    return 0
