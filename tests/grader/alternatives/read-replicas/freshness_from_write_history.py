"""Correct — bounded staleness from positions: the primary's position 2 s ago, not lag_ms.

Every write passes through the router, so it can keep the primary's history (time,
position) itself. A replica is fresh enough when it has applied what the primary had
committed view.max_lag_ms before now: then its oldest missing write is younger than the
bound, whatever it reports as lag. The session's floor (last write, last read) and the
fewest reads sent so far do the rest.
Expect: pass
"""

from __future__ import annotations

import bisect
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.floor: dict[int, int] = {}
        self.times: list[float] = []
        self.positions: list[int] = []
        self.sent = [0] * replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)
        self.times.append(now)
        self.positions.append(position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def _primary_at(self, when: float) -> int:
        i = bisect.bisect_right(self.times, when)
        return self.positions[i - 1] if i else 0

    def route_read(self, session: int, view: Any) -> Any:
        need = max(self.floor.get(session, 0), self._primary_at(view.now - view.max_lag_ms))
        fit = [r for r in range(view.replicas) if view.applied[r] >= need]
        if not fit:
            return "primary"
        choice = min(fit, key=lambda r: self.sent[r])
        self.sent[choice] += 1
        return choice
