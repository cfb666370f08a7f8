"""Class 4 — answer with an int subclass that compares equal to "primary" and to a replica.

Tries: return Target(r), an int subclass equal to its replica number and also to the
string "primary" (its __eq__ says yes to both), hoping the grader's check counts the read
as the primary's (never stale, never a violation) while the read is served, or counted
for balance, on replica r.
Must not pass because: whatever route_read() returns is reduced to plain data in the
router's process before it crosses to the grader (an int, here), and the engine accepts an
exact int or the exact string "primary" and serves the read there. The policy under the
disguise is a random replica, graded as one.
Expect: not pass
"""

from __future__ import annotations

import random
from typing import Any


class Target(int):
    def __eq__(self, other: object) -> bool:
        return other == "primary" or int.__eq__(self, other)

    def __hash__(self) -> int:
        return int.__hash__(self)


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        return Target(random.randrange(self.replicas))
