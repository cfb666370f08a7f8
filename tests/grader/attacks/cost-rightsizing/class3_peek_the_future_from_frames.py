"""Class 3 — look up the call stack for the week's load: any list of floats longer than
the history so far, or anything with a `load` tuple, is the future.

Tries: walk sys._getframe() through every caller's locals (the driver, the harness)
for the grader's scenario or a longer series; with it, run a perfect fleet: exactly the
instances interval t + 2 needs, never one more.
Must not pass because: the week lives in the grader's process, and each message carries
one interval's load, after it happened; the subject's frames hold nothing later. Found
nothing, this keeps the peak fleet, the starter.
Expect: fail on cost_pct
"""

from __future__ import annotations

import math
import sys
from typing import Any

_future: list[float] | None = None


def _search(seen: int) -> list[float] | None:
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            load = getattr(value, "load", None)
            if isinstance(load, tuple) and len(load) > seen:
                return list(load)
            if (
                isinstance(value, list | tuple)
                and len(value) > seen + 2
                and all(isinstance(x, float) for x in value[:50])
            ):
                return list(value)
        frame = frame.f_back
    return None


def policy(observation: Any) -> int:
    global _future
    if _future is None:
        _future = _search(len(observation.history))
    if _future is None:
        return 50
    ahead = _future[min(observation.t + 2, len(_future) - 1)]
    return max(2, math.ceil(ahead / observation.per_instance_rps))
