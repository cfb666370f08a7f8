"""Wrong fix — no on_read(): the floor after a read is the position the replica had reported.

Tries: the router knows view.applied of the replica it chose, so it takes that as what the
session saw, and never listens to on_read().
Must not pass because: a reported position is a lower bound, up to 100 ms old; the read
saw what the replica had applied when it arrived, which can be more. The next read may
then go to a replica that has reached the reported number but not what was really seen,
and during a spike that is often. Only the answer's own position says what was seen.
Expect: fail on monotonic_violations
"""

from __future__ import annotations

from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.floor: dict[int, int] = {}
        self.sent = [0] * replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        floor = self.floor.get(session, 0)
        fit = [
            r
            for r in range(view.replicas)
            if view.applied[r] >= floor and view.lag_ms[r] <= view.max_lag_ms
        ]
        if not fit:
            self.floor[session] = max(floor, view.primary)
            return "primary"
        choice = min(fit, key=self.sent.__getitem__)
        self.sent[choice] += 1
        self.floor[session] = max(floor, view.applied[choice])
        return choice
