"""Wrong fix — running totals, but the lines still come from readlines().

Tries: the summary loop is streamed (no rows, no Event objects), yet the file is read
with readlines() "because it is one line at a time".
Must not pass because: readlines() is still a list of every line; about a sixth of the
starter's peak, and growing with the file.
Expect: fail on traced_peak_kib
"""

from __future__ import annotations

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
        return [line.rstrip("\n") for line in export.readlines()]


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
    count_by_event: Counter[str] = Counter()
    revenue_by_country: dict[str, int] = {}
    malformed = 0
    for line in read_lines(path)[1:]:
        if not line:
            continue
        fields = line.split(",")
        if len(fields) != 5:
            malformed += 1
            continue
        try:
            amount = int(fields[3])
        except ValueError:
            malformed += 1
            continue
        count_by_event[fields[2]] += 1
        if fields[2] in REVENUE_EVENTS:
            revenue_by_country[fields[4]] = revenue_by_country.get(fields[4], 0) + amount
    return {
        "events": sum(count_by_event.values()),
        "malformed": malformed,
        "count_by_event": dict(count_by_event),
        "revenue_by_country": revenue_by_country,
    }
