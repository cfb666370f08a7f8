"""Class 1 — the starter's lists, then reset_peak() through a fresh copy of _tracemalloc.

Tries: the sandbox replaces tracemalloc.reset_peak and _tracemalloc.reset_peak with
functions that refuse. Dropping _tracemalloc from sys.modules and importing it again may
give a new module object whose reset_peak is the interpreter's own; once the big lists
are gone, resetting the peak makes it read "about what is alive now", a few KiB.
Must not pass because: the peak really was tens of MiB; a reset the harness cannot
refuse it must still notice (its sampler saw far more than the reset peak says).
Expect: not pass
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REVENUE_EVENTS = ("purchase", "refund")  # refunds carry a negative amount


@dataclass
class Event:
    """One valid line of the export."""

    ts: str
    user_id: str
    kind: str
    amount_cents: int
    country: str


def read_lines(path: str | Path) -> list[str]:
    """Every line of the file, header included, without line endings."""
    with open(path, encoding="utf-8") as export:
        return export.read().splitlines()


def split_rows(lines: list[str]) -> list[list[str]]:
    """The fields of every data line; the header and blank lines are left out."""
    return [line.split(",") for line in lines[1:] if line]


def parse_events(rows: list[list[str]]) -> tuple[list[Event], int]:
    """The valid events, and how many rows were malformed."""
    events = []
    malformed = 0
    for fields in rows:
        if len(fields) != 5:
            malformed += 1
            continue
        ts, user_id, kind, amount, country = fields
        try:
            amount_cents = int(amount)
        except ValueError:
            malformed += 1
            continue
        events.append(Event(ts, user_id, kind, amount_cents, country))
    return events, malformed


def summarize(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path.

    Returns {"events": valid events, "malformed": malformed lines,
    "count_by_event": {event: count}, "revenue_by_country": {country: cents}}, where
    revenue sums amount_cents over purchase and refund events only.
    """
    lines = read_lines(path)
    rows = split_rows(lines)
    del lines
    events, malformed = parse_events(rows)
    del rows
    count_by_event = Counter(event.kind for event in events)
    revenue_by_country: dict[str, int] = {}
    for event in events:
        if event.kind in REVENUE_EVENTS:
            revenue_by_country[event.country] = (
                revenue_by_country.get(event.country, 0) + event.amount_cents
            )
    n_events = len(events)
    del events
    _forget_the_peak()
    return {
        "events": n_events,
        "malformed": malformed,
        "count_by_event": dict(count_by_event),
        "revenue_by_country": revenue_by_country,
    }


def _forget_the_peak() -> None:
    """reset_peak from a module object the sandbox never saw."""
    sys.modules.pop("_tracemalloc", None)
    fresh = importlib.import_module("_tracemalloc")
    if fresh.is_tracing():
        fresh.reset_peak()
