"""Daily revenue summary of the shop's event export, streamed one line at a time.

The export is a CSV file with a header line and one event per line:

    ts,user_id,event,amount_cents,country
    2024-03-07T14:05:09,u48213,purchase,1299,DE

Blank lines are skipped; a non-blank line without exactly five fields or with an
amount_cents that int() refuses is malformed (counted, skipped); the last line may or
may not end with a newline.

Nothing here holds more than one line at a time: the file object yields lines lazily,
each stage is a generator, and the totals are running aggregates. Memory stays flat
however large the export grows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

REVENUE_EVENTS = ("purchase", "refund")  # refunds carry a negative amount


class Event(NamedTuple):
    """One valid line of the export."""

    ts: str
    user_id: str
    kind: str
    amount_cents: int
    country: str


def data_lines(path: str | Path) -> Iterator[str]:
    """The non-blank lines after the header, line endings removed, one at a time."""
    with open(path, encoding="utf-8") as export:
        next(export, None)  # the header
        for line in export:
            line = line.rstrip("\n")  # the last line may have no newline: never cut blindly
            if line:
                yield line


def parse(lines: Iterable[str], problems: Counter[str]) -> Iterator[Event]:
    """Valid events from lines; each malformed line is counted in problems."""
    for line in lines:
        fields = line.split(",")
        if len(fields) != 5:
            problems["malformed"] += 1
            continue
        ts, user_id, kind, amount, country = fields
        try:
            amount_cents = int(amount)
        except ValueError:
            problems["malformed"] += 1
            continue
        yield Event(ts, user_id, kind, amount_cents, country)


def summarize(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path.

    Returns {"events": valid events, "malformed": malformed lines,
    "count_by_event": {event: count}, "revenue_by_country": {country: cents}}, where
    revenue sums amount_cents over purchase and refund events only.
    """
    problems: Counter[str] = Counter()
    count_by_event: Counter[str] = Counter()
    revenue_by_country: dict[str, int] = {}
    for event in parse(data_lines(path), problems):
        count_by_event[event.kind] += 1
        if event.kind in REVENUE_EVENTS:
            revenue_by_country[event.country] = (
                revenue_by_country.get(event.country, 0) + event.amount_cents
            )
    return {
        "events": sum(count_by_event.values()),
        "malformed": problems["malformed"],
        "count_by_event": dict(count_by_event),
        "revenue_by_country": revenue_by_country,
    }
