"""Correct — position floors and the lag bound, then the next eligible replica in turn.

A rotating cursor: from the replica after the last one used, the first that has applied
the session's floor and is within the lag bound gets the read; none does, the primary.
Expect: pass
"""

from __future__ import annotations

from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.floor: dict[int, int] = {}
        self.cursor = 0

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, view: Any) -> Any:
        floor = self.floor.get(session, 0)
        for step in range(view.replicas):
            r = (self.cursor + step) % view.replicas
            if view.applied[r] >= floor and view.lag_ms[r] <= view.max_lag_ms:
                self.cursor = r + 1
                return r
        return "primary"
