"""Reading Locust's output files: the final stats (JSON) and the live history (CSV).

Locust rewrites its *_stats.csv once a second and not at exit, so its last copy can miss
the final second of requests; the JSON it writes at shutdown (--json-file) holds every
request, so the recorded figures come from it, with percentiles computed from its latency
histogram by Locust's own rule. The *_stats_history.csv grows while the run goes on, so
progress is read from its last line.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfcoach.errors import PerfcoachError
from perfcoach.measure.figures import LoadRequestsData

PERCENTILES = (0.5, 0.95, 0.99, 0.999)  # recorded as p50_s, p95_s, p99_s, p999_s
_TAIL_BYTES = 8192  # the history's last line is well inside this


class UnreadableResults(PerfcoachError):
    """Locust's final stats are missing or not what Locust writes."""


@dataclass(frozen=True)
class LoadProgress:
    """Locust's latest history line: users running, requests so far, recent percentiles."""

    users: int
    requests: int
    failures: int
    p50_s: float | None
    p95_s: float | None


@dataclass(frozen=True)
class _Entry:
    """One request name's counts and latency histogram (ms → count) from Locust's JSON."""

    name: str
    method: str
    requests: int
    failures: int
    max_ms: float
    histogram: dict[int, int]
    start: float
    last: float | None


def read_final(path: Path) -> tuple[LoadRequestsData, list[LoadRequestsData], float]:
    """The whole run (name "all"), each request name, and the seconds from the start to the
    last request, from Locust's shutdown JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [_entry(raw) for raw in data]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise UnreadableResults(f"cannot read Locust's stats in {path}: {exc}") from None
    if not entries:
        return _figures(_merged([]), 0.0), [], 0.0
    start = min(e.start for e in entries)
    lasts = [e.last for e in entries if e.last is not None]
    span = max(lasts) - start if lasts else 0.0
    rows = sorted((_figures(e, span) for e in entries), key=lambda r: (r["name"], r["method"]))
    return _figures(_merged(entries), span), rows, span


def read_progress(path: Path) -> LoadProgress | None:
    """The newest aggregated line of Locust's *_stats_history.csv, or None before it has one."""
    try:
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8", "replace")
            handle.seek(0, io.SEEK_END)
            handle.seek(max(len(header), handle.tell() - _TAIL_BYTES))
            tail = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    lines = [line for line in tail.splitlines() if line.strip()]
    if not header or not lines:
        return None
    row = next(csv.DictReader([header, lines[-1]]), None)
    if row is None:
        return None
    try:
        return LoadProgress(
            users=int(row["User Count"]),
            requests=int(row["Total Request Count"]),
            failures=int(row["Total Failure Count"]),
            p50_s=_ms(row["50%"]),
            p95_s=_ms(row["95%"]),
        )
    except (KeyError, ValueError, TypeError):
        return None  # a line Locust is still writing


def peak_users(path: Path) -> int:
    """The most users Locust's history reports running at once (0 when it has no lines)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            counts = [int(row["User Count"]) for row in csv.DictReader(handle)]
    except (OSError, KeyError, ValueError, TypeError):
        return 0
    return max(counts, default=0)


def percentile_ms(histogram: dict[int, int], requests: int, fraction: float) -> int:
    """The response time that fraction of the requests finished within, by Locust's rule
    (its calculate_response_time_percentile), so figures match Locust's own report."""
    wanted = int(requests * fraction)
    processed = 0
    for millis in sorted(histogram, reverse=True):
        processed += histogram[millis]
        if requests - processed <= wanted:
            return millis
    return 0


def _entry(raw: dict[str, Any]) -> _Entry:
    """One element of Locust's JSON list, checked enough that figures are numbers."""
    histogram = {int(k): int(v) for k, v in raw["response_times"].items()}
    last = raw["last_request_timestamp"]
    return _Entry(
        name=str(raw["name"]),
        method=str(raw["method"] or ""),
        requests=int(raw["num_requests"]),
        failures=int(raw["num_failures"]),
        max_ms=float(raw["max_response_time"] or 0),
        histogram=histogram,
        start=float(raw["start_time"]),
        last=None if last is None else float(last),
    )


def _merged(entries: list[_Entry]) -> _Entry:
    """Every request name as one entry, as Locust's Aggregated row is."""
    histogram: dict[int, int] = {}
    for e in entries:
        for millis, count in e.histogram.items():
            histogram[millis] = histogram.get(millis, 0) + count
    lasts = [e.last for e in entries if e.last is not None]
    return _Entry(
        name="all",
        method="",
        requests=sum(e.requests for e in entries),
        failures=sum(e.failures for e in entries),
        max_ms=max((e.max_ms for e in entries), default=0.0),
        histogram=histogram,
        start=min((e.start for e in entries), default=0.0),
        last=max(lasts, default=None),
    )


def _figures(entry: _Entry, span_s: float) -> LoadRequestsData:
    """The recorded figures of one entry; rates over the run's first-to-last-request span."""
    p50, p95, p99, p999 = (
        percentile_ms(entry.histogram, entry.requests, fraction) / 1000 for fraction in PERCENTILES
    )
    return {
        "name": entry.name,
        "method": entry.method,
        "requests": entry.requests,
        "failures": entry.failures,
        "error_rate": entry.failures / entry.requests if entry.requests else 0.0,
        "rps": entry.requests / span_s if span_s > 0 else 0.0,
        "p50_s": p50,
        "p95_s": p95,
        "p99_s": p99,
        "p999_s": p999,
        "max_s": entry.max_ms / 1000,
    }


def _ms(text: str) -> float | None:
    """A history percentile in ms as seconds; Locust writes N/A before any request."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value / 1000 if math.isfinite(value) else None
