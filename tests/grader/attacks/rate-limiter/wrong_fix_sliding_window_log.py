"""Wrong fix — a sliding-window log: at most burst requests in any window of burst / rate s.

Tries: keep each client's allowed times in a deque, drop those older than burst / rate,
and allow while fewer than burst remain. Never more than burst entries per client, idle
clients evicted, and nothing it allows breaks the contract.
Must not pass because: after a burst, the log refuses everything until the oldest entry
leaves the window, while the contract (a bucket refilling one token every 1/rate s)
allows the next request 1/rate s later. It refuses many conforming requests; the
under-admission row must say so.
Expect: fail on under_admission_pct
"""

from __future__ import annotations

from collections import OrderedDict, deque


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.burst = burst
        self.window = burst / rate
        self.idle_ttl = idle_ttl
        self.logs: OrderedDict[str, deque[float]] = OrderedDict()
        self.seen: dict[str, float] = {}

    def allow(self, client: str, now: float) -> bool:
        logs = self.logs
        while logs:
            front = next(iter(logs))
            if now - self.seen[front] <= self.idle_ttl:
                break
            del logs[front], self.seen[front]
        log = logs.pop(client, None) or deque()
        logs[client] = log
        self.seen[client] = now
        while log and log[0] <= now - self.window:
            log.popleft()
        if len(log) < self.burst:
            log.append(now)
            return True
        return False
