"""Helpers shared by command groups: the content pack and the progress store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from perfcoach.catalog import Pack
    from perfcoach.course import LevelState
    from perfcoach.store import Store


def pack() -> Pack:
    """The content pack; a broken lab is left out with a warning instead of blocking the rest."""
    from perfcoach.coach import open_pack, pack_warning

    found = open_pack()
    warning = pack_warning(found)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    return found


def store() -> Store:
    """The progress DB under the current home."""
    from perfcoach.store import Store

    return Store.open()


def announce_level(out: Console, level: LevelState) -> None:
    """The line that marks a level finished, the moment it is (a check or a lesson read)."""
    out.print(
        f"[bold green]★ level {level.level} {level.name} complete:[/] every lesson read "
        "and every lab passed"
    )
