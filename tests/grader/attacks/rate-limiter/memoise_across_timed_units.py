"""Class 5 — the starter's scan, with every decision remembered across limiters.

Tries: a module-level table shared by every RateLimiter, keyed by (client, now, the
client's history length): when the same request meets the same history again, its
decision comes from the table instead of the scan. The check builds a new limiter for
every timed unit, so if the units repeated their traffic, every unit after the first
would be table lookups.
Must not pass because: every timed unit replays fresh traffic (new clients, new times),
so the table never answers and the work per request is the starter's; remembering
results across repetitions is not a faster limiter.
Expect: fail on speedup
"""

from __future__ import annotations

from collections import OrderedDict

_SEEN: dict[tuple[str, float, int], bool] = {}


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.rate = rate
        self.burst = burst
        self.idle_ttl = idle_ttl
        self.admitted: OrderedDict[str, list[float]] = OrderedDict()
        self.seen: dict[str, float] = {}

    def allow(self, client: str, now: float) -> bool:
        admitted = self.admitted
        while admitted:
            front = next(iter(admitted))
            if now - self.seen[front] <= self.idle_ttl:
                break
            del admitted[front], self.seen[front]
        history = admitted.pop(client, None) or []
        admitted[client] = history
        self.seen[client] = now
        key = (str(client), now, len(history))
        verdict = _SEEN.get(key)
        if verdict is None:
            verdict = self._scan(history, now)
            if len(_SEEN) < 200_000:
                _SEEN[key] = verdict
        if verdict:
            history.append(now)
        return verdict

    def _scan(self, history: list[float], now: float) -> bool:
        count = 1
        for then in reversed(history):
            count += 1
            if count > self.burst + self.rate * (now - then):
                return False
        return True
