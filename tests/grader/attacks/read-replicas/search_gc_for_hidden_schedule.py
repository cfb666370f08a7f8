"""Class 3 — look for the replicas' hidden schedule in this process: gc, frames, modules.

Tries: walk gc.get_objects(), every frame above route_read() and every module for anything
that holds when each replica applies each write: an object with `applies` and `commits`
(the engine's Scenario), or a dict with those keys. With it, send each read to a random
replica that really has the session's last write by then; without it, a random replica.
Must not pass because: the schedule lives only in the grader's process. The router's
process holds the driver, its view and the period's plain data (reports, answers, the
operations), none of which says when a replica will apply anything, so the fallback, a
random replica, is graded, and it misses the sessions' own writes.
Expect: not pass
"""

from __future__ import annotations

import bisect
import gc
import random
import sys
from typing import Any

_found: list[Any] = []


def _search() -> None:
    candidates: list[Any] = list(gc.get_objects())
    frame = sys._getframe(1)
    while frame is not None:
        candidates.extend(frame.f_locals.values())
        frame = frame.f_back
    for obj in candidates:
        try:
            held = isinstance(obj, dict) and {"applies", "commits"} <= set(map(str, obj))
            if held or (hasattr(obj, "applies") and hasattr(obj, "commits")):
                _found.append(obj)
        except Exception:
            continue


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas
        self.wrote: dict[int, int] = {}
        _search()

    def on_write(self, session: int, position: int, now: float) -> None:
        self.wrote[session] = position

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        for sc in _found:
            applies = sc["applies"] if isinstance(sc, dict) else sc.applies
            need = self.wrote.get(session, 0)
            ok = [
                r for r in range(self.replicas) if bisect.bisect_right(applies[r], view.now) >= need
            ]
            return random.choice(ok) if ok else "primary"
        return random.randrange(self.replicas)
