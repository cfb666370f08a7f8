"""Wrong fix — skip replicas past the lag bound, spread the rest at random; no positions.

Tries: bounded staleness as the only rule: a replica under 2 s behind is "fresh enough".
Must not pass because: 2 s behind is fresh enough for other users' data, not for the
session's own write of a moment ago: a read right after a write misses it on any replica
that has not applied it yet.
Expect: fail on ryw_violations
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
        fresh = [r for r in range(view.replicas) if view.lag_ms[r] <= view.max_lag_ms]
        return random.choice(fresh) if fresh else "primary"
