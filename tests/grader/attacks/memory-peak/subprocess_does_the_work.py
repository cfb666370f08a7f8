"""Class 4 — run the starter's summary in a child interpreter and parse its JSON.

Tries: summarize() starts `python -c ...` on this very file with subprocess.run, the
child runs the starter's three-lists code and prints the totals as JSON; the parent's
tracemalloc sees only the pipe and the parsed dict. (The audit hook counts the
subprocess, but nothing in this lab looks at that count.)
Must not pass because: the export is still held three times in memory, in a process
the measurement does not cover; the learner's code must not be able to create processes
that escape the grader's instruments.
Expect: not pass
"""

from __future__ import annotations

import json
import subprocess
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


def _summarize_here(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path.

    Returns {"events": valid events, "malformed": malformed lines,
    "count_by_event": {event: count}, "revenue_by_country": {country: cents}}, where
    revenue sums amount_cents over purchase and refund events only.
    """
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


def summarize(path: str | Path) -> dict[str, Any]:
    """Totals for the export at path, computed by a fresh interpreter running this file."""
    program = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('events_child', sys.argv[1])\n"
        "module = sys.modules['events_child'] = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print(json.dumps(module._summarize_here(sys.argv[2])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, __file__, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)
