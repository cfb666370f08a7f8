"""Wrong fix — a bucket refilled by a loop, one refill tick (1/64 s) at a time.

Tries: tokens are added in a while loop that steps the client's clock forward a refill
tick at a time, rate / 64 tokens each (a last, shorter step lands on now), until it
reaches now. Every time is a whole number of 1/1024 s, so in binary floating point every
step is exact, every decision is right, the state is two numbers and idle clients are
evicted.
Must not pass because: the work per request grows with the time since the client's last
request (64 steps after a pause of a second): the refill is one multiplication, rate ×
elapsed. The speedup row must say so. (A tick of 1/1024 s fails the same way, ~0.16x,
but its counted replays alone took 15 s of a CI run.)
Expect: fail on speedup
Says: a loop per clock tick
"""

from __future__ import annotations

from collections import OrderedDict

TICK = 1 / 1024  # the clock's resolution
STEP = 16 * TICK  # the refill tick


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
            step = min(STEP, now - bucket[1])
            bucket[1] += step
            if bucket[0] < self.burst:
                bucket[0] = min(self.burst, bucket[0] + self.per_tick * step / TICK)
        if bucket[0] >= 1:
            bucket[0] -= 1
            return True
        return False
