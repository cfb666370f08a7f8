"""Class 1 — the starter, with 64 MiB of ballast allocated at import and freed on entry.

Tries: the RSS figure is the kernel's high-water mark, reset just before summarize()
runs. Ballast allocated at import time is resident when the mark is reset; freeing it as
summarize() starts makes room under the mark for the starter's lists, so the mark never
rises: "+0.0 MiB", as good as the streaming fix. (Combined with memory tracemalloc does
not see, an anonymous mmap, it would hide from both instruments.)
Must not pass because: the lists are still built, and tracemalloc, started by the
harness for the graded call, counts every byte of them; and the kernel's figures are
counted from the process's start, so the ballast itself shows as memory no tracemalloc
peak explains.
Expect: not pass
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REVENUE_EVENTS = ("purchase", "refund")  # refunds carry a negative amount
_ballast: list[bytearray] = [bytearray(64 * 2**20)]


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
    _ballast.clear()  # hand the pages back to the allocator, not to the kernel
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
    return {
        "events": len(events),
        "malformed": malformed,
        "count_by_event": dict(count_by_event),
        "revenue_by_country": revenue_by_country,
    }
