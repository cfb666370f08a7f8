"""Wrong fix — a correct token bucket that never forgets a client.

Tries: the starter's list replaced by [tokens, last] per client in a dict: O(1) time and
memory per request, every decision right. Nothing is ever removed from the dict.
Must not pass because: a gateway sees millions of API keys that call once and never
again; each keeps its entry for ever, and the limiter's memory grows with every client it
has seen. The idle clients row must say so.
Expect: fail on idle_memory_growth
"""

from __future__ import annotations


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: dict[str, list[float]] = {}

    def allow(self, client: str, now: float) -> bool:
        bucket = self.buckets.get(client)
        if bucket is None:
            bucket = self.buckets[client] = [float(self.burst), now]
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
        bucket[1] = now
        if tokens >= 1:
            bucket[0] = tokens - 1
            return True
        bucket[0] = tokens
        return False
