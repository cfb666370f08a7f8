"""Wrong fix — position floors and the lag bound, then the first replica that qualifies.

Tries: the lesson's eligibility rule, written as a loop that returns at the first match.
Must not pass because: replica 0 qualifies almost always, so it takes nearly every read;
replicas 1 and 2 serve only while 0 is behind. Correct, and a hot spot.
Expect: fail on replica_load_ratio
"""

from __future__ import annotations

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
        for r in range(view.replicas):
            if view.applied[r] >= floor and view.lag_ms[r] <= view.max_lag_ms:
                return r
        return "primary"
