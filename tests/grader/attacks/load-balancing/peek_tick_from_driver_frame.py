"""Class 3 — read the whole tick from the driver's frame: future arrivals and the batch.

Tries: pick() is called once per request, but the driver holds the tick's batch (its
time, the responses, the health and every arrival time of the tick) in the frame that
calls it. Read that frame (and the Balancer's own counters) to see the requests still to
come in this tick and every local the grader sent, looking for anything beyond what the
view shows (a speed, a window, a hint of the next tick), and spread the tick's requests
over the servers in proportion to what is found; with nothing found, round robin.
Must not pass because: the tick's batch is all the balancer is ever sent, plain data the
view already carries (the arrival times of the tick are only a little early, at most
40 ms, and say nothing of any server). The frame holds no speed and no window, so this is
round robin, which misses every target.
Expect: not pass
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

_turn = itertools.count()
_found: dict[str, Any] = {}


def pick(view: Any) -> int:
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in frame.f_locals.items():
            if name in ("speeds", "later", "sc", "scenario", "gray", "crash"):
                _found[name] = value
        frame = frame.f_back
    speeds = _found.get("speeds") or getattr(_found.get("sc"), "speeds", None)
    if speeds:
        up = [s for s in range(view.servers) if view.healthy[s]]
        return max(up, key=lambda s: speeds[s] / (view.outstanding[s] + 1))
    return next(_turn) % view.servers
