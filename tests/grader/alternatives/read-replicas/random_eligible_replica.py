"""Correct — position floors and the lag bound, then a random eligible replica.

Each session's floor is the highest position it wrote or read; a replica qualifies when
its reported position has reached the floor and its reported lag is within the bound.
Among those, random.choice: with about 4,000 reads, chance spreads them within a few %.
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, view: Any) -> Any:
        floor = self.floor.get(session, 0)
        fit = [
            r
            for r in range(view.replicas)
            if view.applied[r] >= floor and view.lag_ms[r] <= view.max_lag_ms
        ]
        return random.choice(fit) if fit else "primary"
