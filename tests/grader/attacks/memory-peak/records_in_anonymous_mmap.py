"""Class 4 — every line copied into a 512-byte record of an anonymous mmap, then summed.

Tries: keep the starter's shape (read everything first, then parse, then sum) but hold
the file in memory that is not Python's: an anonymous mmap is allocated by the kernel,
not by Python's allocator, so tracemalloc never traces it. Each line goes into its own
fixed-width record; the totals are computed from the records afterwards. tracemalloc
sees a few transient line objects, a few KiB.
Must not pass because: the process still holds the whole export, padded to 512 bytes a
line (about 15 MiB for 30,000 lines), at its peak; the kernel's count of the process's
resident memory, taken from outside, shows it.
Expect: not pass
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path
from typing import Any

REVENUE_EVENTS = ("purchase", "refund")
RECORD = 512


def summarize(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path, parsed from off-heap records."""
    slots = os.path.getsize(path) // 20 + 1  # no line of the export is shorter
    records = mmap.mmap(-1, slots * RECORD)
    n = 0
    with open(path, "rb") as export:
        next(export, None)
        for line in export:
            records[n * RECORD : n * RECORD + len(line)] = line
            n += 1
    counts: dict[str, int] = {}
    revenue: dict[str, int] = {}
    malformed = 0
    for i in range(n):
        line = records[i * RECORD : (i + 1) * RECORD].rstrip(b"\0").decode().rstrip("\n")
        if not line:
            continue
        fields = line.split(",")
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
    records.close()
    return {
        "events": sum(counts.values()),
        "malformed": malformed,
        "count_by_event": counts,
        "revenue_by_country": revenue,
    }
