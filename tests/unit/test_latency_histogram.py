"""Latency histograms: log-scaled buckets that stay small, percentiles marked where they fall,
and only sound data accepted back from a result or a stored attempt."""

from __future__ import annotations

import random

import pytest

from perfcoach.measure.latency import MAX_BUCKETS, MAX_ROWS, LatencyHistogram


def skewed(n: int = 2000, seed: int = 3) -> list[float]:
    """Mostly fast requests around 20 ms and a slow tail near a second, like a queue that
    backs up for a while."""
    rng = random.Random(seed)
    fast = [rng.lognormvariate(3, 0.5) for _ in range(n)]
    return fast + [rng.uniform(700, 950) for _ in range(n // 40)]


def test_buckets_count_every_request_and_percentiles_are_nearest_rank() -> None:
    samples = [float(i) for i in range(1, 101)]  # 1..100 ms
    hist = LatencyHistogram.of(samples)
    assert hist is not None
    assert hist.total == 100
    assert (hist.p50, hist.p95, hist.p99) == (50.0, 95.0, 99.0)
    # five buckets a decade: 1 ms opens bucket 0, 10 ms bucket 5, 100 ms bucket 10
    assert hist.first == 0 and len(hist.counts) == 11
    assert hist.counts[-1] == 1  # 100 ms alone in [100, 158)
    assert sum(hist.counts[5:10]) == 90  # 10..99 ms


def test_no_samples_draw_nothing_and_zero_latency_is_kept() -> None:
    assert LatencyHistogram.of([]) is None
    assert LatencyHistogram.of([float("nan"), float("inf")]) is None
    hist = LatencyHistogram.of([0.0, 0.0, 5.0])
    assert hist is not None and hist.total == 3 and hist.p50 > 0


def test_a_wide_spread_stays_within_the_bucket_bound() -> None:
    hist = LatencyHistogram.of([1e-3 * 10**k for k in range(10)])  # 1 µs .. 1000 s
    assert hist is not None
    assert len(hist.counts) == MAX_BUCKETS
    assert hist.total == 10  # the fastest are counted in the lowest kept bucket
    rows = hist.chart(80)[1:]
    assert len(rows) <= MAX_ROWS  # neighbouring buckets merged to fit
    assert rows[0].strip().startswith("0.0158–0.1 ms │")
    assert rows[-1].startswith("251,189–1,584,893 ms │")


def test_the_chart_fits_its_width_and_marks_the_tail() -> None:
    hist = LatencyHistogram.of(skewed())
    assert hist is not None
    lines = hist.chart(76)
    assert lines[0].startswith("2,050 requests in log-scaled buckets; P50 ")
    rows = lines[1:]
    assert len(rows) <= MAX_ROWS
    assert all(len(line) <= 76 for line in lines)
    marked = {mark: row for row in rows for mark in ("P50", "P95", "P99") if mark in row}
    assert "◀ P50" in marked["P50"] and "15.8–25.1 ms" in marked["P50"]
    assert "631–1,000 ms" in marked["P99"]  # the slow tail's bucket, not the bulk's
    counts = [int(row.split("◀")[0].split()[-1].replace(",", "")) for row in rows]
    assert sum(counts) == 2050


def test_json_round_trips_and_anything_malformed_is_refused() -> None:
    hist = LatencyHistogram.of(skewed())
    assert hist is not None
    assert LatencyHistogram.from_json(hist.to_json()) == hist
    good = hist.to_json()
    for bad in (
        None,
        "counts",
        {**good, "counts": []},
        {**good, "counts": [1] * (MAX_BUCKETS + 1)},
        {**good, "counts": [1, -1]},
        {**good, "counts": [1, 2.5]},
        {**good, "first": "0"},
        {**good, "p99": float("nan")},
        {**good, "p50": 0},
        {key: value for key, value in good.items() if key != "p95"},
    ):
        assert LatencyHistogram.from_json(bad) is None, bad


@pytest.mark.parametrize("width", [40, 60, 100])
def test_the_chart_stays_readable_in_narrow_terminals(width: int) -> None:
    hist = LatencyHistogram.of([5.0] * 97 + [900.0] * 3)
    assert hist is not None
    rows = hist.chart(width)[1:]
    assert all(len(row) <= width for row in rows)
    assert rows[0].endswith("97 ◀ P50 P95") and rows[-1].endswith("3 ◀ P99")
