"""Class 1 — patch the replication engine inside the subject, then route at random.

Tries: import perfcoach.sim.replication here and make every replica apply every write at
once (Scenario.applied returns the primary's position, lag is always 0), and the Outcome's
counts empty; then send every read to a random replica, which would be right if replicas
never lagged.
Must not pass because: the engine that serves the reads and counts runs in the grader's
process, not in this one (and the sandbox refuses the import); the grader receives only
the targets, and random targets miss the sessions' own writes.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import random
from typing import Any


def _patch() -> None:
    with contextlib.suppress(Exception):
        from perfcoach.sim import replication as engine

        engine.Scenario.applied = lambda self, r, at: self.primary(at)  # type: ignore[method-assign]
        engine.Scenario.lag = lambda self, r, at: 0.0  # type: ignore[method-assign]
        engine.Outcome.primary_share = property(lambda self: 0.0)  # type: ignore[method-assign]


_patch()


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        return random.randrange(self.replicas)
