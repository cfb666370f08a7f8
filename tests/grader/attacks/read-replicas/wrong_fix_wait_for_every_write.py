"""Wrong fix — a replica qualifies only once it has applied every write anyone made.

Tries: the safest floor there is: the highest position any session wrote. A replica that
has it is at least as fresh as anything any user could expect.
Must not pass because: with writes arriving every few ms, no replica has applied the very
last one when it reports, so nearly every read goes to the primary. Read-your-writes is
about the session's own writes: other users' can wait a few ms.
Expect: fail on primary_read_share
Says: sends far more to the primary than read-your-writes needs
"""

from __future__ import annotations

import random
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.newest = 0

    def on_write(self, session: int, position: int, now: float) -> None:
        self.newest = max(self.newest, position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        fit = [
            r
            for r in range(view.replicas)
            if view.applied[r] >= self.newest and view.lag_ms[r] <= view.max_lag_ms
        ]
        return random.choice(fit) if fit else "primary"
