"""Helpers shared by command groups: the pack, the store, and rendering of shared shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.store import Store


def pack() -> Pack:
    """The built-in content pack, validated."""
    from perfcoach.catalog import load_pack

    return load_pack()


def store() -> Store:
    """The progress DB under the current home."""
    from perfcoach.store import Store

    return Store.open()
