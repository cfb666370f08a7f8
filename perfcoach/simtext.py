"""A playground `Result` as text, for both faces: plots drawn by plotext at a given size,
numbers formatted by their column's kind. `perfcoach sim` prints them; the TUI's
playground shows the same strings, so the two never disagree on a figure."""

from __future__ import annotations

import math
from collections.abc import Callable

from perfcoach.sim.playground import Cell, Column, Plot

MARKERS = ("*", "+", "x", "o", "#", "@")  # lines stay apart without colour
COLOURS = ("blue+", "red+", "green+", "orange+", "magenta+", "cyan+")

FORMATS: dict[str, Callable[[float], str]] = {
    "count": lambda v: f"{v:,.0f}",
    "percent": lambda v: f"{v:.1%}",
    "ms": lambda v: f"{v:,.0f}" if v >= 100 else f"{v:.3g}",
    "ratio": lambda v: f"{v:.3f}",
    "rate": lambda v: f"{v:,.0f}",
}


def cell(kind: str, value: Cell) -> str:
    """A number as its column shows it; a dash where there is none (NaN, infinity)."""
    return FORMATS[kind](value) if math.isfinite(value) else "—"


def heading(column: Column) -> str:
    """A column's heading, with its unit where the numbers do not carry one."""
    return f"{column.title} ms" if column.kind == "ms" else column.title


def draw(plot: Plot, width: int, height: int, colour: bool) -> str:
    """The plot drawn by plotext in width × height cells, with ANSI colours or without.
    plotext keeps one global figure: call this from one thread at a time."""
    import plotext as plt

    plt.clf()
    plt.plotsize(width, height)
    plt.theme("clear")
    plt.title(plot.title)
    plt.xlabel(plot.x_label)
    plt.ylabel(plot.y_label)
    if plot.log_y:
        plt.yscale("log")
    if plot.log_x:
        plt.xscale("log")
    # the last line drawn stays on top where lines cross: the first, usually the simulation
    for i, line in reversed(list(enumerate(plot.lines))):
        shown = [(x, y) for x, y in zip(plot.xs, line.ys, strict=True) if math.isfinite(y)]
        xs, ys = [x for x, _ in shown], [y for _, y in shown]
        draw_line = plt.scatter if line.points else plt.plot
        draw_line(
            xs,
            ys,
            label=line.name,
            marker=MARKERS[i % len(MARKERS)],
            color=COLOURS[i % len(COLOURS)],
        )
    text: str = plt.build()
    return text if colour else plt.uncolorize(text)
