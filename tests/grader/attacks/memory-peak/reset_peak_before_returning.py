"""Class 1 — the starter's three lists, then tracemalloc.reset_peak() before returning.

Tries: wrong_fix_del_after_use, plus tracemalloc.reset_peak() once the big lists are
gone. The bench reads the peak right after summarize() returns; after the reset, the
peak is what is alive at that moment, a few KiB. Tracing is never stopped, so the
bench's "did the code stop tracemalloc?" check is satisfied.
Must not pass because: the job still holds the file three times at its peak (tens of
MiB); the instrument the grade rests on must not be resettable by the measured code.
Expect: not pass
"""

from __future__ import annotations

import tracemalloc
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
    if tracemalloc.is_tracing():
        tracemalloc.reset_peak()  # the high-water mark now reads "about what is alive"
    return {
        "events": n_events,
        "malformed": malformed,
        "count_by_event": dict(count_by_event),
        "revenue_by_country": revenue_by_country,
    }
