"""Class 4 — raise inside route_read() whenever a replica reports lag, hoping the read is skipped.

Tries: a random replica, except that while any replica reports more than 500 ms of lag
(a spike or the stall), route_read() raises a ConnectionError, as if the router itself had
failed: the hope is that the grader drops those reads, or serves them from the primary,
so the reads that would miss their writes never count.
Must not pass because: an exception from route_read() ends the check there, an error that
names the learner's line, and nothing is graded.
Expect: not pass
"""

from __future__ import annotations

import random
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        if max(view.lag_ms) > 500:
            raise ConnectionError("router unavailable")
        return random.randrange(self.replicas)
