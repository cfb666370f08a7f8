"""Wrong fix — always the freshest replica (highest applied position), if it qualifies.

Tries: the replica with the most applied is the least likely to miss anything, so send
every read there; the primary when even it has not reached the session's floor.
Must not pass because: it is correct and unbalanced. The replica that happens to apply
fastest is the freshest at nearly every report, so it takes nearly every read while the
others idle: any replica that has reached the floor is as correct as the freshest.
Expect: fail on replica_load_ratio
Says: Choosing the freshest replica
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
        best = max(range(view.replicas), key=lambda r: view.applied[r])
        floor = self.floor.get(session, 0)
        if view.applied[best] >= floor and view.lag_ms[best] <= view.max_lag_ms:
            return best
        return "primary"
