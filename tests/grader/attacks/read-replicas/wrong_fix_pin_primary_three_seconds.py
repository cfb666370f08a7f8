"""Wrong fix — pin longer: the primary for 3 s after a write, longer than any spike here.

Tries: if 1 s is too short for a spike, pin for longer than the worst lag seen, and pick
replicas at random otherwise.
Must not pass because: a longer pin buys read-your-writes with the primary's load (a
session that writes every few seconds reads almost only from the primary), and it still
says nothing about monotonic reads: a session that read a fresh replica, then a lagging
one, goes back in time.
Expect: fail on monotonic_violations
"""

from __future__ import annotations

import random
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.wrote: dict[int, float] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.wrote[session] = now

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        if view.now - self.wrote.get(session, -1e9) < 3_000:
            return "primary"
        fresh = [r for r in range(view.replicas) if view.lag_ms[r] <= view.max_lag_ms]
        return random.choice(fresh) if fresh else "primary"
