"""Class 1 — a refill loop per clock tick, with every CPU clock in the process slowed.

Tries: wrong_fix_refill_loop_per_tick (right decisions, a few times faster than the
starter at best), plus time.process_time, time.thread_time, time.perf_counter,
time.monotonic, os.times and resource.getrusage replaced at import by versions that run
at 1/50 of real speed, so any timer read inside this process sees the limiter as 50x
faster.
Must not pass because: the grader reads the subjects' CPU time from the kernel, outside
their reach; nothing the learner's code does to its own clocks changes the speedup.
Expect: fail on speedup
"""

from __future__ import annotations

import os
import resource
import time
from collections import OrderedDict

TICK = 1 / 1024


def _slowed(real):  # type: ignore[no-untyped-def]
    start = real()
    return lambda *args: start + (real(*args) - start) / 50


for _name in ("process_time", "thread_time", "perf_counter", "monotonic"):
    setattr(time, _name, _slowed(getattr(time, _name)))
_times = os.times
os.times = lambda: os.times_result(tuple(v / 50 for v in _times()))  # type: ignore[assignment]
_rusage = resource.getrusage
resource.getrusage = lambda who: _rusage(who)  # type: ignore[assignment]


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.per_tick = rate * TICK
        self.burst = burst
        self.idle_ttl = idle_ttl
        self.buckets: OrderedDict[str, list[float]] = OrderedDict()

    def allow(self, client: str, now: float) -> bool:
        buckets = self.buckets
        while buckets:
            front = next(iter(buckets))
            if now - buckets[front][1] <= self.idle_ttl:
                break
            del buckets[front]
        bucket = buckets.pop(client, None) or [float(self.burst), now]
        buckets[client] = bucket
        while bucket[1] < now:
            bucket[1] += TICK
            if bucket[0] < self.burst:
                bucket[0] = min(self.burst, bucket[0] + self.per_tick)
        if bucket[0] >= 1:
            bucket[0] -= 1
            return True
        return False
