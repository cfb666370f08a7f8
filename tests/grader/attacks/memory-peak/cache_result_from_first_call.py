"""Class 5 — the starter, with the summary cached by file path and modification time.

Tries: the bench first runs summarize() under memory-profiler (RSS, shown but not
graded) and only then under tracemalloc. The first call does the starter's work and
keeps the summary in a module-level dict keyed by (path, mtime); the traced call finds
it there and returns a copy: a few hundred bytes.
Must not pass because: summarizing the file still holds it three times in memory; the
graded measurement must not be of a call that skips the work.
Expect: not pass
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REVENUE_EVENTS = ("purchase", "refund")  # refunds carry a negative amount
_results: dict[tuple[str, int], dict[str, Any]] = {}


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
    key = (str(path), Path(path).stat().st_mtime_ns)
    if key in _results:
        return copy.deepcopy(_results[key])
    lines = read_lines(path)
    rows = split_rows(lines)
    events, malformed = parse_events(rows)
    count_by_event = Counter(event.kind for event in events)
    revenue_by_country: dict[str, int] = {}
    for event in events:
        if event.kind in REVENUE_EVENTS:
            revenue_by_country[event.country] = (
                revenue_by_country.get(event.country, 0) + event.amount_cents
            )
    _results[key] = {
        "events": len(events),
        "malformed": malformed,
        "count_by_event": dict(count_by_event),
        "revenue_by_country": revenue_by_country,
    }
    return copy.deepcopy(_results[key])
