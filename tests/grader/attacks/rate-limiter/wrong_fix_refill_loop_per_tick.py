"""Wrong fix — a bucket refilled by a loop, one clock tick (1/1024 s) at a time.

Tries: tokens are added in a while loop that steps the client's clock forward tick by
tick, rate / 1024 tokens each, until it reaches now. In binary floating point every step
is exact, so every decision is right, the state is two numbers and idle clients are
evicted.
Must not pass because: the work per request grows with the time since the client's last
request (hundreds of steps after a pause of a second): the refill is one multiplication,
rate × elapsed. The speedup row must say so.
Expect: fail on speedup
Says: a loop per clock tick
"""

from __future__ import annotations

from collections import OrderedDict

TICK = 1 / 1024


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
