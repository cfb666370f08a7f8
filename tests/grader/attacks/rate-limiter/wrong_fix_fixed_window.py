"""Wrong fix — a fixed-window counter: at most burst requests per window of burst / rate s.

Tries: the textbook first attempt at O(1) state. Each client keeps (window number,
count); the window number is int(now * rate / burst), the count resets when it changes,
and clients whose window is over are dropped. It is fast and small, and its average rate
is right.
Must not pass because: the count resets at the window's edge, so a client can spend a
full burst just before it and another just after: 2 x burst requests in a moment, which
GCRA(rate, burst) forbids. The violations row must say so.
Expect: fail on violations
"""

from __future__ import annotations

from collections import OrderedDict


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.per_window = burst
        self.windows_per_s = rate / burst
        self.idle_ttl = idle_ttl
        self.counts: OrderedDict[str, tuple[int, int, float]] = OrderedDict()

    def allow(self, client: str, now: float) -> bool:
        counts = self.counts
        while counts:
            front = next(iter(counts))
            if now - counts[front][2] <= self.idle_ttl:
                break
            del counts[front]
        window = int(now * self.windows_per_s)
        seen, count, _ = counts.pop(client, (window, 0, now))
        if seen != window:
            count = 0
        allowed = count < self.per_window
        counts[client] = (window, count + 1 if allowed else count, now)
        return allowed
