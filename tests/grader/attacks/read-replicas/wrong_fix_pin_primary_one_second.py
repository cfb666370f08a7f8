"""Wrong fix — the primary for 1 s after a session's write, then the next replica in turn.

Tries: the usual shortcut. Replicas are tens of ms behind, so 1 s after a write seems a
safe margin; replicas past the lag bound are skipped, as the brief asks.
Must not pass because: lag has no fixed ceiling. During a spike a replica is 1.3-1.8 s
behind, under the bound, and a read 1.2 s after its session's write lands there and misses
it. The pin also says nothing about what a session has already read (monotonic reads),
and keeps every read of the last second on the primary.
Expect: fail on ryw_violations
Says: Every miss came from a replica more than a second behind
Says: no fixed time after a write (1 s, 2 s) is safe
"""

from __future__ import annotations

from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.wrote: dict[int, float] = {}
        self.turn = 0

    def on_write(self, session: int, position: int, now: float) -> None:
        self.wrote[session] = now

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        if view.now - self.wrote.get(session, -1e9) < 1_000:
            return "primary"
        fresh = [r for r in range(view.replicas) if view.lag_ms[r] <= view.max_lag_ms]
        if not fresh:
            return "primary"
        self.turn += 1
        return fresh[self.turn % len(fresh)]
