"""Runs beside the learner's latency.py: feeds a LatencyRecorder the latencies it is sent
and returns what count() and percentile() answered.

Everything here is plain replay. The exact percentiles and every comparison stay in the
grader; what this process measures (tracemalloc's peak, its CPU time) is taken by the
harness around these functions, not by them. The million-latency stream arrives a chunk
at a time, as positions in the pool of latencies it is drawn from, from a
feed in the grader: what has been recorded is gone from this process unless the
recorder kept it, and what comes next has not arrived yet.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from perfcoach.driverkit import Keep


def replay(
    module: ModuleType,
    values: Sequence[Any],
    feed: Any,
    checkpoints: Sequence[int],
    dashboard: Sequence[float],
    sampling_seed: int,
) -> list[tuple[Any, list[Any]]]:
    """One fresh recorder through the whole stream; at each checkpoint, what count() and
    percentile(p) for each dashboard p answered. The global random module is seeded first
    so a recorder that samples gives the same answers for the same check."""
    random.seed(sampling_seed)
    recorder = module.LatencyRecorder()
    answers: list[tuple[Any, list[Any]]] = []
    done = 0
    for n in checkpoints:
        done += _record(recorder.record, values, feed, n - done)
        if done < n:  # the feed ran dry: something else took from it
            break
        answers.append((recorder.count(), [recorder.percentile(p) for p in dashboard]))
    return answers


def record_all(module: ModuleType, values: Sequence[Any], feed: Any, n: int, p: float) -> Any:
    """Record the whole stream, then ask one percentile (the starter's memory, asked once)."""
    recorder = module.LatencyRecorder()
    _record(recorder.record, values, feed, n)
    return recorder.percentile(p)


def _record(record: Callable[[float], object], values: Sequence[Any], feed: Any, count: int) -> int:
    """Record the next count latencies of the feed, one chunk in this process at a time;
    how many there were. A position is 2 bytes, each an index into one level of the
    nested pool: iterating bytes gives ints Python keeps ready made, so nothing is
    allocated here per latency (tracemalloc would trace each allocation)."""
    done = 0
    while done < count:
        chunk = feed.call("take", count - done)
        if not chunk:
            break
        digits = iter(chunk)
        for high, low in zip(digits, digits, strict=True):
            record(values[high][low])
        done += len(chunk) // 2
    return done


def build(module: ModuleType, history: Sequence[float], dashboard: Sequence[float]) -> Keep:
    """A fresh recorder holding history, then asked each dashboard percentile (the steady
    state, when the bench passes the dashboard). Kept here for a timed refresh."""
    recorder = module.LatencyRecorder()
    record = recorder.record
    for ms in history:
        record(ms)
    for p in dashboard:
        recorder.percentile(p)
    return Keep(recorder)


def refresh(
    module: ModuleType,
    batches: Sequence[Sequence[float]],
    dashboard: Sequence[float],
    *recorders: Any,
) -> list[list[Any]]:
    """For each kept recorder, record its batch (the next second of traffic), then answer
    the dashboard once: one timed unit each."""
    out = []
    for recorder, batch in zip(recorders, batches, strict=True):
        record = recorder.record
        for ms in batch:
            record(ms)
        out.append([recorder.percentile(p) for p in dashboard])
    return out
