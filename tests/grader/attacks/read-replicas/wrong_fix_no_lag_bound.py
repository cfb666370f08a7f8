"""Wrong fix — position floors and balance, but no lag bound: every replica is up, after all.

Tries: the session guarantees alone. The stalled replica still answers its health checks,
and a replica that has reached a session's floor cannot break that session's guarantees.
Must not pass because: a new session's floor is 0, so the stalled replica qualifies for
every new user, and the balance rule, seeing it idle, sends it their reads: data seconds
old, served to people who never saw anything newer, but stale all the same.
Expect: fail on stale_reads
Says: a health check says the replica is up, not that it is fresh
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
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, view: Any) -> Any:
        floor = self.floor.get(session, 0)
        fit = [r for r in range(view.replicas) if view.applied[r] >= floor]
        if not fit:
            return "primary"
        choice = min(fit, key=self.sent.__getitem__)
        self.sent[choice] += 1
        return choice
