"""GCRA keeping only the theoretical arrival time, forgotten as soon as the bucket is full.

A client's state is one float, its TAT; once now ≥ TAT the bucket is full and the entry
is worth nothing, which is why Redis-based GCRA limiters set the key to expire at TAT.
Here the clients are ordered by their last request: the front one has the oldest
request, so its TAT is at most burst / rate past it, and popping from the front while
the TAT has passed drops every client silent for burst / rate or more.
Expect: pass
"""

from __future__ import annotations

from collections import OrderedDict


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.emission = 1 / rate
        self.tolerance = (burst - 1) / rate
        self.tat: OrderedDict[str, float] = OrderedDict()

    def allow(self, client: str, now: float) -> bool:
        tats = self.tat
        while tats:
            front = next(iter(tats))
            if tats[front] > now:
                break
            del tats[front]
        tat = max(tats.pop(client, now), now)
        if tat - now > self.tolerance:
            tats[client] = tat
            return False
        tats[client] = tat + self.emission
        return True
