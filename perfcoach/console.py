"""The one core-side place that knows about rich: consoles that honour NO_COLOR and width."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A console for CLI output; rich reads NO_COLOR, TERM and COLUMNS itself."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def fmt_number(x: float | None) -> str:
    """Integers with separators, other numbers to three significant digits."""
    if x is None:
        return "—"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"
