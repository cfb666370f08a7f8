"""Wrong fix — streamed, with each line cut by line[:-1].

Tries: a correct streaming design that removes the newline with line[:-1].
Must not pass because: the last line has no newline; its country loses a letter and
the totals differ from the reference.
Expect: wrong result
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

REVENUE_EVENTS = ("purchase", "refund")


def summarize(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path."""
    counts: dict[str, int] = {}
    revenue: dict[str, int] = {}
    malformed = 0
    with open(path, encoding="utf-8") as export:
        next(export, None)
        for raw in export:
            line = raw[:-1]
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
            counts[fields[2]] = counts.get(fields[2], 0) + 1
            if fields[2] in REVENUE_EVENTS:
                revenue[fields[4]] = revenue.get(fields[4], 0) + amount
    return {
        "events": sum(counts.values()),
        "malformed": malformed,
        "count_by_event": counts,
        "revenue_by_country": revenue,
    }
