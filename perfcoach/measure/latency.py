"""A latency distribution small enough to store with every attempt: request counts in
log-scaled buckets and the percentiles its chart marks, never the raw samples."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict

BUCKETS_PER_DECADE = 5  # bucket k holds [10^(k/5), 10^((k+1)/5)) ms: edges 1, 1.58, 2.51, 3.98…
MAX_BUCKETS = 40  # eight decades; a sample below the lowest kept bucket is counted in it
MAX_ROWS = 12  # a chart merges neighbouring buckets until it fits in this many rows
MARKS = ((50, "P50"), (95, "P95"), (99, "P99"))
FLOOR_MS = 1e-3  # a latency of zero (an instant failure) is drawn in the 1 µs bucket


class LatencyData(TypedDict):
    """LatencyHistogram on the wire and in the attempt's stored metrics."""

    first: int
    counts: list[int]
    p50: float
    p95: float
    p99: float


@dataclass(frozen=True)
class LatencyHistogram:
    """Counts of requests per log-scaled latency bucket (ms), with P50, P95 and P99."""

    first: int  # the bucket index of counts[0]
    counts: tuple[int, ...]
    p50: float
    p95: float
    p99: float

    @classmethod
    def of(cls, samples_ms: Iterable[float]) -> LatencyHistogram | None:
        """Bucket every finite sample and take the nearest-rank percentiles; None without one
        (a policy that served nothing has no distribution to draw)."""
        ordered = sorted(max(float(s), FLOOR_MS) for s in samples_ms if math.isfinite(s))
        if not ordered:
            return None
        buckets = Counter(_bucket(s) for s in ordered)
        last = max(buckets)
        first = max(min(buckets), last - MAX_BUCKETS + 1)
        counts = [0] * (last - first + 1)
        for k, n in buckets.items():
            counts[max(k, first) - first] += n
        p50, p95, p99 = (nearest_rank(ordered, p) for p, _ in MARKS)
        return cls(first, tuple(counts), p50, p95, p99)

    @classmethod
    def from_json(cls, data: object) -> LatencyHistogram | None:
        """The histogram a result or a stored attempt carries; None for anything malformed
        (a chart is worth showing only when it is sound)."""
        if not isinstance(data, dict):
            return None
        first, counts = data.get("first"), data.get("counts")
        marks = [data.get(key) for key in ("p50", "p95", "p99")]
        if not isinstance(first, int) or not isinstance(counts, list):
            return None
        if not 0 < len(counts) <= MAX_BUCKETS or not all(
            isinstance(n, int) and n >= 0 for n in counts
        ):
            return None
        if not all(isinstance(m, int | float) and math.isfinite(m) and m > 0 for m in marks):
            return None
        p50, p95, p99 = (float(m) for m in marks)  # type: ignore[arg-type]
        return cls(first, tuple(counts), p50, p95, p99)

    def to_json(self) -> LatencyData:
        """Plain data for the result and the attempt."""
        return {
            "first": self.first,
            "counts": list(self.counts),
            "p50": self.p50,
            "p95": self.p95,
            "p99": self.p99,
        }

    @property
    def total(self) -> int:
        """How many requests the histogram counts."""
        return sum(self.counts)

    def chart(self, width: int) -> list[str]:
        """The histogram as plain text lines at most width wide: one row per bucket range
        (neighbours merged to fit MAX_ROWS), a bar per row, the percentiles marked."""
        step = math.ceil(len(self.counts) / MAX_ROWS)
        last = len(self.counts) - 1
        marked = [
            (name, (min(max(_bucket(value) - self.first, 0), last)) // step)
            for name, value in self._marks()
        ]
        rows = []
        for row, start in enumerate(range(0, len(self.counts), step)):
            low = _edge(self.first + start)
            high = _edge(self.first + min(start + step, len(self.counts)))
            count = sum(self.counts[start : start + step])
            marks = " ".join(name for name, at in marked if at == row)
            rows.append((f"{_ms(low)}–{_ms(high)} ms", count, marks))
        label_w = max(len(label) for label, _, _ in rows)
        count_w = max(len(f"{count:,}") for _, count, _ in rows)
        mark_w = max((len(marks) + 3 for _, _, marks in rows if marks), default=0)
        bar_w = max(4, width - label_w - count_w - mark_w - 3)
        top = max(count for _, count, _ in rows)
        lines = [
            f"{self.total:,} requests in log-scaled buckets; "
            + ", ".join(f"{name} {_ms(value)} ms" for name, value in self._marks())
        ]
        for label, count, marks in rows:
            bar = "█" * math.ceil(bar_w * count / top) if count else ""
            mark = f" ◀ {marks}" if marks else ""
            lines.append(f"{label:>{label_w}} │{bar:<{bar_w}} {count:>{count_w},}{mark}".rstrip())
        return lines

    def _marks(self) -> list[tuple[str, float]]:
        return [("P50", self.p50), ("P95", self.p95), ("P99", self.p99)]


def _bucket(ms: float) -> int:
    """The index of the bucket holding ms (edges are exact powers of 10^(1/5))."""
    k = math.floor(math.log10(ms) * BUCKETS_PER_DECADE)
    return k + 1 if _edge(k + 1) <= ms else k


def _edge(k: int) -> float:
    """The lower edge of bucket k, in ms."""
    return 10 ** (k / BUCKETS_PER_DECADE)


def nearest_rank(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank percentile p (0-100) of sorted samples: one of them, never a blend."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _ms(value: float) -> str:
    """An edge or percentile in ms, to the precision a chart row needs."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"
