"""Helpers shared by command groups: the content pack and the progress store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.store import Store


def pack() -> Pack:
    """The content pack; a broken lab is skipped with a warning instead of blocking the rest."""
    from perfcoach.catalog import read_pack
    from perfcoach.catalog.errors import PackInvalid
    from perfcoach.paths import builtin_pack_root

    found = read_pack(builtin_pack_root())
    if found.problems:
        if not found.labs:
            raise PackInvalid(found.root, found.problems)
        typer.echo(
            f"warning: {len(found.problems)} problem(s) in {found.root}, first: "
            f"{found.problems[0]} (details: perfcoach dev check)",
            err=True,
        )
    return found


def store() -> Store:
    """The progress DB under the current home."""
    from perfcoach.store import Store

    return Store.open()
