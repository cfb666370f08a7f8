"""Every number a person reads, formatted in one place so a figure reads the same everywhere."""

from __future__ import annotations

import math

NOTHING = "—"


def number(x: float | None) -> str:
    """Integers with separators, other numbers to three significant digits (— for none)."""
    if x is None:
        return NOTHING
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def precise(x: float | None) -> str:
    """Six significant digits, for a figure quoted as evidence (an implausible value)."""
    if x is None:
        return "nothing"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:,.6g}"


def milliseconds(seconds: float) -> str:
    """Seconds in ms to three significant digits: per-unit times in a timing detail."""
    return f"{seconds * 1000:.3g} ms"


def seconds(value: float) -> str:
    """Seconds with a unit that keeps three significant digits readable."""
    if value < 1e-3:
        return f"{value * 1e6:.3g} µs"
    if value < 1:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s"


def kib(value: float) -> str:
    """KiB as KiB, MiB or GiB."""
    if value < 1024:
        return f"{value:.0f} KiB"
    if value < 1024**2:
        return f"{value / 1024:.1f} MiB"
    return f"{value / 1024**2:.2f} GiB"


def ratio(value: float) -> str:
    """A speedup as a multiple."""
    return f"{value:.3g}×"
