"""The read router in front of a primary and 3 replicas: position-aware, lag-bounded, balanced.

Each session carries a floor: the highest log position it has written or already read. A
replica can serve the session's read only if it had applied that floor when it last
reported (read-your-writes, and no going back in time: monotonic reads) and it is within
the lag bound (a stalled replica keeps answering queries, with older and older data, so
"up" is not "fresh"). Among the replicas that qualify, the read goes to the one that has
been sent the fewest reads; when none qualifies, to the primary, which is never behind.
"""

from __future__ import annotations

from typing import Any

PRIMARY = "primary"


class Router:
    """Routes a read to the least used replica that has what its session has seen."""

    def __init__(self, replicas: int) -> None:
        self.floor: dict[int, int] = {}
        self.sent = [0] * replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        """A session must read at least what it wrote."""
        self.floor[session] = max(self.floor.get(session, 0), position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        """... and at least what it has already read."""
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, view: Any) -> Any:
        """The least used fresh-enough replica, else the primary."""
        floor = self.floor.get(session, 0)
        fit = [
            r
            for r in range(view.replicas)
            if view.applied[r] >= floor and view.lag_ms[r] <= view.max_lag_ms
        ]
        if not fit:
            return PRIMARY
        choice = min(fit, key=self.sent.__getitem__)
        self.sent[choice] += 1
        return choice
