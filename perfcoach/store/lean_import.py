"""sqlite_utils without numpy and pandas: it imports both when they are installed (scalene
brings numpy) to map their scalar types to column types, which perfcoach never stores, and
that cost ~60 ms, up to ~200 ms on a cold cache, at every start of the CLI and the TUI."""

from __future__ import annotations

import sys
from types import ModuleType

_SKIPPED = ("numpy", "pandas")


def import_sqlite_utils() -> ModuleType:
    """sqlite_utils, imported the first time with numpy and pandas unavailable to it; both
    stay importable by everything else (a module already loaded is left alone)."""
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    masked = [name for name in _SKIPPED if name not in sys.modules]
    for name in masked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in masked:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
    return sqlite_utils
