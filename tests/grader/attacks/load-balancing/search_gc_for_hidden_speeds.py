"""Class 3 — look for the hidden cluster in the balancer's own process: gc, frames, modules.

Tries: walk gc.get_objects(), every frame up the stack from pick(), and every module in
sys.modules for anything that holds the scenario: an object with `speeds`/`later`/`gray`/
`crash` attributes, a dict with those keys, a tuple of 8 floats in the speeds' range. With
the speeds and windows it would route by the real capacity; without them it falls back to
round robin, the starter.
Must not pass because: the cluster lives only in the grader's process. The balancer's
process holds the driver, its view and the tick's plain data (responses, health, arrival
times): nothing in it names a speed or a window, so the fallback, round robin, is graded.
Expect: not pass
"""

from __future__ import annotations

import gc
import itertools
import sys
from typing import Any

_turn = itertools.count()
_found: list[Any] = []
_searched = False


def _looks_hidden(obj: Any) -> bool:
    try:
        if all(hasattr(obj, name) for name in ("speeds", "later", "gray", "crash")):
            return True
        if isinstance(obj, dict) and {"speeds", "gray", "crash"} <= set(map(str, obj)):
            return True
        if (
            isinstance(obj, tuple)
            and len(obj) == 8
            and all(type(v) is float and 0.85 <= v <= 1.06 for v in obj)
        ):
            return True
    except Exception:
        return False
    return False


def _search() -> None:
    candidates: list[Any] = list(gc.get_objects())
    frame = sys._getframe(1)
    while frame is not None:
        candidates.extend(frame.f_locals.values())
        candidates.extend(frame.f_globals.values())
        frame = frame.f_back
    for module in list(sys.modules.values()):
        candidates.extend(vars(module).values() if hasattr(module, "__dict__") else ())
    _found.extend(obj for obj in candidates if _looks_hidden(obj))


def pick(view: Any) -> int:
    global _searched
    if not _searched:
        _searched = True
        _search()
    for obj in _found:
        speeds = getattr(obj, "speeds", obj if isinstance(obj, tuple) else None)
        if speeds:
            up = [s for s in range(view.servers) if view.healthy[s]]
            return max(up, key=lambda s: speeds[s] / (view.outstanding[s] + 1))
    return next(_turn) % view.servers
