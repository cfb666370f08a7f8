"""Before/after distributions as inline SVG for the HTML report: drawn by hand, so the page
needs no script, no network and no dependency, and reads in any browser or mail client.

Each figure gets one chart: a row per side, every run as a dot, the middle half of the
runs as a box and the median as a bar, on one shared axis so the two rows compare at sight.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from html import escape

WIDTH = 640
LABEL_W = 64  # room for "before"/"after" left of the axis
RIGHT_PAD = 44  # half of the last tick's label
ROW_H = 44
TOP = 8
AXIS_H = 30
TICKS = 5
COLOURS = {"before": "#8a8a8a", "after": "#1f6fb2"}


def distribution_svg(
    chart_id: str,
    label: str,
    sides: Sequence[tuple[str, Sequence[float]]],
    fmt: Callable[[float], str],
) -> str:
    """One chart of a figure's runs per side (name, values), with a title and a description
    that say in words what the picture shows; fmt writes a value with its unit."""
    values = [v for _, runs in sides for v in runs]
    low, high = _axis(values)

    def x(value: float) -> float:
        return LABEL_W + (value - low) / (high - low) * (WIDTH - LABEL_W - RIGHT_PAD)

    height = TOP + ROW_H * len(sides) + AXIS_H
    summary = "; ".join(
        f"{name}: median {fmt(statistics.median(runs))}, {len(runs)} runs from "
        f"{fmt(min(runs))} to {fmt(max(runs))}"
        for name, runs in sides
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dist" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d">',
        f'<title id="{escape(chart_id)}-t">{escape(label)}: every run, before and after</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(summary)}. Dots are runs, the box holds '
        "the middle half of them, the bar is the median.</desc>",
    ]
    for row, (name, runs) in enumerate(sides):
        parts.append(_row(name, runs, TOP + row * ROW_H, x, fmt))
    parts.append(_axis_marks(low, high, TOP + ROW_H * len(sides), x, fmt))
    parts.append("</svg>")
    return "".join(parts)


def _row(
    name: str,
    runs: Sequence[float],
    top: float,
    x: Callable[[float], float],
    fmt: Callable[[float], str],
) -> str:
    """One side: its name, the box from the lower to the upper quartile, the median bar and
    a dot per run (spread over the row's height in run order, so equal values stay visible)."""
    colour = COLOURS.get(name, "#1f6fb2")
    mid = top + ROW_H / 2
    q1, median, q3 = _quartiles(runs)
    dots = "".join(
        f'<circle cx="{x(v):.1f}" cy="{mid - 10 + 20 * (i % 5) / 4:.1f}" r="3" '
        f'fill="{colour}" fill-opacity="0.7"><title>{escape(name)} run {i + 1}: '
        f"{escape(fmt(v))}</title></circle>"
        for i, v in enumerate(runs)
    )
    return (
        f'<g class="side {escape(name)}">'
        f'<text x="{LABEL_W - 8}" y="{mid + 5:.1f}" text-anchor="end" font-size="14" '
        f'fill="#222">{escape(name)}</text>'
        f'<rect x="{x(q1):.1f}" y="{mid - 14:.1f}" width="{max(x(q3) - x(q1), 1):.1f}" '
        f'height="28" fill="{colour}" fill-opacity="0.15" stroke="{colour}"/>'
        f'<line x1="{x(median):.1f}" x2="{x(median):.1f}" y1="{mid - 16:.1f}" '
        f'y2="{mid + 16:.1f}" stroke="{colour}" stroke-width="3"/>'
        f"{dots}</g>"
    )


def _axis_marks(
    low: float, high: float, top: float, x: Callable[[float], float], fmt: Callable[[float], str]
) -> str:
    """The shared axis: a line with TICKS labelled ticks."""
    ticks = [low + (high - low) * i / (TICKS - 1) for i in range(TICKS)]
    marks = "".join(
        f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{top + 5}" stroke="#666"/>'
        f'<text x="{x(t):.1f}" y="{top + 20}" text-anchor="middle" font-size="12" '
        f'fill="#444">{escape(fmt(t) if t else "0")}</text>'
        for t in ticks
    )
    return (
        f'<g class="axis"><line x1="{LABEL_W}" x2="{WIDTH - RIGHT_PAD}" y1="{top}" '
        f'y2="{top}" stroke="#666"/>{marks}</g>'
    )


def _axis(values: Sequence[float]) -> tuple[float, float]:
    """From zero (or a little below the smallest run, when zero would squeeze the runs into
    a corner) to a little above the largest."""
    low, high = min(values), max(values)
    if high == low:
        return (0.0, high * 2) if high > 0 else (low - 1, high + 1)
    pad = (high - low) * 0.08
    start = 0.0 if 0 <= low < (high - low) else low - pad
    return start, high + pad


def _quartiles(runs: Sequence[float]) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (all three the value of a single run)."""
    if len(runs) < 2:
        return runs[0], runs[0], runs[0]
    q1, median, q3 = statistics.quantiles(runs, n=4, method="inclusive")
    return q1, median, q3
