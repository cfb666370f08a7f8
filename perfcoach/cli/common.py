"""Helpers shared by command groups: the content pack and the progress store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
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
