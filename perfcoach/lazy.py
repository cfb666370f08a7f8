"""Package names that load their module on first use, so a process pays for what it uses.

The grader and the sandboxed subjects start on every check; importing a whole package
(the catalog, the store, sqlite-backed counters) for one class would cost them time.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any


def attribute(package: str, exports: dict[str, str], name: str) -> Any:
    """The exported name from the module that holds it, imported now if need be."""
    module = exports.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
