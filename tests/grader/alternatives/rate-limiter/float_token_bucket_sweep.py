"""A token bucket with float tokens, and a sweep of idle clients once per idle_ttl.

Each client keeps [tokens, time they were counted]; a request refills the bucket by
rate × elapsed (capped at burst) and spends one token if there is one. Every idle_ttl of
clock time, one pass over all clients drops those silent for longer than idle_ttl: O(n)
once per idle_ttl, O(1) per request on average.
Expect: pass
"""

from __future__ import annotations


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.rate = rate
        self.burst = burst
        self.idle_ttl = idle_ttl
        self.buckets: dict[str, list[float]] = {}
        self.next_sweep = 0.0

    def allow(self, client: str, now: float) -> bool:
        if now >= self.next_sweep:
            self._sweep(now)
        bucket = self.buckets.get(client)
        if bucket is None:
            bucket = self.buckets[client] = [float(self.burst), now]
        else:
            bucket[0] = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
            bucket[1] = now
        if bucket[0] >= 1:
            bucket[0] -= 1
            return True
        return False

    def _sweep(self, now: float) -> None:
        oldest = now - self.idle_ttl
        self.buckets = {c: b for c, b in self.buckets.items() if b[1] >= oldest}
        self.next_sweep = now + self.idle_ttl
