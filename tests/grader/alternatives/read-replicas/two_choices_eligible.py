"""Correct — position floors and the lag bound, then the less used of two random eligible.

Power of two choices over the replicas that qualify (as in the load-balancing lab): draw
two, send the read to the one that has been sent fewer; one eligible replica takes it.
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.seen: dict[int, int] = {}
        self.sent = [0] * replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        self.seen[session] = max(self.seen.get(session, 0), position)

    def on_read(self, session: int, target: Any, position: int) -> None:
        self.seen[session] = max(self.seen.get(session, 0), position)

    def route_read(self, session: int, view: Any) -> Any:
        need = self.seen.get(session, 0)
        fit = [r for r in range(view.replicas) if view.applied[r] >= need]
        fit = [r for r in fit if view.lag_ms[r] <= view.max_lag_ms]
        if not fit:
            return "primary"
        if len(fit) == 1:
            choice = fit[0]
        else:
            a, b = random.sample(fit, 2)
            choice = a if self.sent[a] <= self.sent[b] else b
        self.sent[choice] += 1
        return choice
