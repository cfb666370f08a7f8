"""Class 3 — look for the hidden failure schedule in this process: gc, frames, modules.

Tries: walk gc.get_objects(), every frame above promote() and every module for anything
that holds when the primary freezes and when its streams slowed: an object with `freeze`
and `congestion` (the engine's Scenario), or a dict with those keys. With it, refuse every
write from 3 s before the freeze (nothing left to lose or to split); without it, the
starter's unfenced failover.
Must not pass because: the schedule lives only in the grader's process. The learner's
process holds the driver, its views and the tick's plain data (positions, heartbeats, the
lease), none of which says when the primary will freeze, so the fallback is graded, and it
splits the brain.
Expect: not pass
"""

from __future__ import annotations

import gc
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
            held = isinstance(obj, dict) and {"freeze", "congestion"} <= set(map(str, obj))
            if held or (hasattr(obj, "freeze") and hasattr(obj, "congestion")):
                _found.append(obj)
        except Exception:
            continue


def promote(view: Any) -> str | None:
    if not _found:
        _search()
    if view.heartbeat_ms[view.primary] < 300:
        return None
    return max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])


def accept_write(node: Any) -> Any:
    if _found:
        freeze = getattr(_found[0], "freeze", None) or _found[0]["freeze"]
        return node.epoch if node.now < freeze - 3_000 else None
    return True


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = position

    def route_read(self, session: int, region: str, view: Any) -> Any:
        return (region, self.floor.get(session, 0))
