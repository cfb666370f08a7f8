"""Class 3 — find the hidden speeds (the grader's Scenario) and route by them.

Tries: look for the grader's scenario everywhere this process can: modules named bench or
with a `scenario` function, every frame above pick() (sys._getframe) for a local holding
`speeds`, every object gc can see with a `speeds` attribute, the lab's bench.py on disk
next to the driver, and the environment. With the speeds, send each request to the server
whose queue would drain first (an oracle); until found, round robin.
Must not pass because: the scenario, its seed and its speeds live only in the grader's
process and the content pack is unreadable from the sandbox; nothing of them reaches
this process, so round robin is what gets graded.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import sys
from pathlib import Path
from typing import Any

_turn = itertools.count()
_speeds: list[float] = []


def _find() -> list[float]:
    for module in list(sys.modules.values()):
        found = getattr(module, "speeds", None) or getattr(module, "SPEEDS", None)
        if isinstance(found, (tuple, list)) and len(found) == 8:
            return [float(s) for s in found]
    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            speeds = getattr(value, "speeds", None)
            if isinstance(speeds, tuple) and len(speeds) == 8:
                return list(speeds)
        frame = frame.f_back  # type: ignore[assignment]
    with contextlib.suppress(Exception):
        for obj in gc.get_objects():
            speeds = getattr(obj, "speeds", None)
            if isinstance(speeds, tuple) and len(speeds) == 8:
                return list(speeds)
    for module in list(sys.modules.values()):
        path = Path(getattr(module, "__file__", None) or "/x")
        with contextlib.suppress(Exception):
            (path.parent / "bench.py").read_text()  # proof it could be read at all
            return [1.0] * 8
    if "PERFCOACH_SPEEDS" in os.environ:
        return [float(s) for s in os.environ["PERFCOACH_SPEEDS"].split(",")]
    return []


def pick(view: Any) -> int:
    if not _speeds:
        _speeds.extend(_find())
    if _speeds:
        return min(range(view.servers), key=lambda s: (view.outstanding[s] + 1) / _speeds[s])
    return next(_turn) % view.servers
