"""The root `perfcoach` command: global options, error handling and exit codes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from perfcoach import __version__
from perfcoach.cli.launch import DEBUG_ENV, check_output
from perfcoach.errors import PerfcoachError
from perfcoach.paths import HOME_ENV
from perfcoach.safetext import inert

INTERRUPTED = 130


class PerfcoachGroup(TyperGroup):
    """Turns perfcoach errors and Ctrl-C into one line on stderr and the right exit code.

    Error messages can quote learner code (a profiled run that raised), so they are made inert.
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PerfcoachError as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            typer.echo(f"error: {inert(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted: nothing was recorded", err=True)
            raise typer.Exit(INTERRUPTED) from None
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            typer.echo(
                f"internal error: {type(exc).__name__}: {inert(str(exc))} "
                f"(set {DEBUG_ENV}=1 to see the traceback, and please report it)",
                err=True,
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=PerfcoachGroup,
    name="perfcoach",
    help="Learn performance and scalability engineering by fixing slow code, measured honestly. "
    "Run it with no command to open the full-screen app.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfcoach {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help=f"State directory (progress.db, workspace/). Default: ${HOME_ENV} "
            "or the platform's user data dir.",
            file_okay=False,
            resolve_path=True,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """perfcoach: a four-level performance engineering course with honest, measured labs.

    With no command, opens the full-screen app (same as `perfcoach tui`).
    """
    if home is not None:
        os.environ[HOME_ENV] = str(home)
    if ctx.invoked_subcommand is None:
        tui()


def tui() -> None:
    """Open the full-screen app: the mastery path, lessons, labs and progress."""
    from perfcoach.cli.launch import open_app

    open_app()


def _register() -> None:
    from perfcoach.cli import (
        checklist,
        dev,
        doctor,
        effort,
        lab,
        lesson,
        load,
        measure,
        nextstep,
        progress,
        sim,
    )

    app.command("next")(nextstep.next_item)
    app.add_typer(lab.app, name="lab")
    app.add_typer(lesson.app, name="lesson")
    app.add_typer(progress.app, name="progress")
    app.add_typer(effort.app, name="effort")
    app.add_typer(checklist.app, name="checklist")
    app.command("baseline")(measure.baseline)
    app.command("compare")(measure.compare)
    app.command("load")(load.load)
    app.command("doctor")(doctor.doctor)
    app.add_typer(sim.app, name="sim")
    app.add_typer(dev.app, name="dev")
    app.command("tui")(tui)


_register()


def main() -> None:
    """The CLI: a closed terminal or a SIGTERM ends checks with us."""
    from perfcoach.processes import install_exit_handlers

    install_exit_handlers()
    check_output()
    app(prog_name="perfcoach")
