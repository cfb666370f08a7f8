"""Runs beside the learner's latency.py: feeds a LatencyRecorder the latencies it is sent
and returns what count() and percentile() answered.

Everything here is plain replay. The stream, the checkpoints, the exact percentiles and
every comparison stay in the grader; what this process measures (tracemalloc's peak,
its CPU time) is taken by the harness around these functions, not by them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from perfcoach.driverkit import Keep


def replay(
    module: ModuleType,
    stream: Sequence[float],
    checkpoints: Sequence[int],
    dashboard: Sequence[float],
    sampling_seed: int,
) -> list[tuple[Any, list[Any]]]:
    """One fresh recorder through the whole stream; at each checkpoint, what count() and
    percentile(p) for each dashboard p answered. The global random module is seeded first
    so a recorder that samples gives the same answers for the same check."""
    random.seed(sampling_seed)
    recorder = module.LatencyRecorder()
    record = recorder.record
    answers: list[tuple[Any, list[Any]]] = []
    done = 0
    for n in checkpoints:
        for ms in itertools.islice(stream, done, n):  # no slice: a copy would count as yours
            record(ms)
        done = n
        answers.append((recorder.count(), [recorder.percentile(p) for p in dashboard]))
    return answers


def record_all(module: ModuleType, stream: Sequence[float], p: float) -> Any:
    """Record the whole stream, then ask one percentile (the starter's memory, asked once)."""
    recorder = module.LatencyRecorder()
    record = recorder.record
    for ms in stream:
        record(ms)
    return recorder.percentile(p)


def build(module: ModuleType, history: Sequence[float], dashboard: Sequence[float]) -> Keep:
    """A fresh recorder holding history, in its steady state: the dashboard was refreshed
    a second ago, as it is every second. Kept here for a timed refresh."""
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
