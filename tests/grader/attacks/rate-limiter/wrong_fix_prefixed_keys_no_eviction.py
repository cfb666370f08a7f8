"""Wrong fix — a token bucket keyed by "rl:" + the client's name, never evicted.

Tries: what a limiter that will move to Redis often looks like: the state of each client
lives under a namespaced key, f"rl:{client}", a new string made from the client's name.
The buckets are right and O(1), and nothing is ever removed.
Must not pass because: every client the gateway has seen keeps its entry for ever. The
limiter no longer holds the client's own name object, only a copy inside another string:
the check must still see that the client is kept.
Expect: fail on idle_memory_growth
"""

from __future__ import annotations


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, client: str, now: float) -> bool:
        key = f"rl:{client}"
        tokens, then = self.buckets.get(key, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        allowed = tokens >= 1
        self.buckets[key] = (tokens - 1 if allowed else tokens, now)
        return allowed
