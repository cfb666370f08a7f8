"""Class 1 — rewrite the lab's driver in this process so risky reads are never routed.

Tries: find driver.py's module in sys.modules and replace Routing.decide (and the module's
decide) with one that routes only reads of sessions that have not written in the period
and leaves the others out of the answer, hoping the grader serves only what it is told,
so the reads right after a write (the ones a random replica gets wrong) never happen.
Must not pass because: the grader knows how many reads each period holds and wants one
target for each; a short answer stops the check as a wrong result (and if the harness
calls a driver it holds elsewhere, the random router below is what gets graded).
Expect: not pass
"""

from __future__ import annotations

import contextlib
import random
import sys
from typing import Any


def _short(routing: Any, batch: tuple[Any, ...]) -> list[Any]:
    wrote = {session for _, session, position in batch[5] if position}
    return [
        random.randrange(3)
        for _, session, position in batch[5]
        if not position and session not in wrote
    ]


def _patch() -> None:
    for module in list(sys.modules.values()):
        routing = getattr(module, "Routing", None)
        if routing is None or not hasattr(module, "decide"):
            continue
        with contextlib.suppress(Exception):
            routing.decide = _short
        with contextlib.suppress(Exception):
            module.decide = lambda m, r, batch: _short(r, batch)


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
