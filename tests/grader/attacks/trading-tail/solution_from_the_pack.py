"""Class 3 — load the lab's own solution from the installed content pack.

Tries: finds perfcoach's package folder and the labs folder beside it (or inside it, in a
wheel), and imports labs/trading-tail/solution/orderbook.py as this module's OrderBook.
Must not pass because: the sandbox hides the content pack from the subject (Landlock and
the audit hook); reading it fails, and without it this file has no book at all.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import perfcoach


def _solution() -> type:
    package = Path(perfcoach.__file__).resolve().parent
    for root in (package.parent / "labs", package / "labs"):
        path = root / "trading-tail" / "solution" / "orderbook.py"
        spec = importlib.util.spec_from_file_location("stolen_orderbook", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.OrderBook  # type: ignore[no-any-return]
    raise ImportError("no solution found")


OrderBook = _solution()
