"""Wrong fix — streamed with running totals, but the header line is never skipped.

Tries: the brief's generator fix, iterating over the open file from its first line; the
header "ts,user_id,event,amount_cents,country" has five fields, and int() refuses
"amount_cents", so it lands in the malformed count.
Must not pass because: the header is not a malformed event; the totals differ from the
reference by one, and the message asks whether the header was counted.
Expect: wrong result
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

REVENUE_EVENTS = ("purchase", "refund")


def fields_of(path: str | Path) -> Iterator[list[str]]:
    """The fields of every non-blank line."""
    with open(path, encoding="utf-8") as export:
        for line in export:
            line = line.rstrip("\n")
            if line:
                yield line.split(",")


def summarize(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path."""
    counts: dict[str, int] = {}
    revenue: dict[str, int] = {}
    malformed = 0
    for fields in fields_of(path):
        if len(fields) != 5:
            malformed += 1
            continue
        try:
            cents = int(fields[3])
        except ValueError:
            malformed += 1
            continue
        counts[fields[2]] = counts.get(fields[2], 0) + 1
        if fields[2] in REVENUE_EVENTS:
            revenue[fields[4]] = revenue.get(fields[4], 0) + cents
    return {
        "events": sum(counts.values()),
        "malformed": malformed,
        "count_by_event": counts,
        "revenue_by_country": revenue,
    }
