"""Alternative — EWMA of each server's newest latency (decay 0.5), kept in a dict, with P2C.

The balancer keeps its own exponentially weighted moving average per server, updated
when that server's latency tuple changes (a new response came back): ewma = 0.5 · newest
+ 0.5 · ewma. Two healthy servers are drawn at random and the request goes to the one
with the lower ewma × (outstanding + 1). Module-level dicts as state, a faster decay
than the hint's mean of 10, the same idea: load weighted by recent speed, with random
draws so a server that looks fast does not take every request.
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any

DECAY = 0.5
DEFAULT_MS = 10.0
_ewma: dict[int, float] = {}
_seen: dict[int, tuple[float, ...]] = {}


def _score(view: Any, server: int) -> float:
    return _ewma.get(server, DEFAULT_MS) * (view.outstanding[server] + 1)


def pick(view: Any) -> int:
    for server in range(view.servers):
        recent = view.latencies[server]
        if recent and _seen.get(server) != recent:
            _seen[server] = recent
            old = _ewma.get(server, recent[-1])
            _ewma[server] = DECAY * recent[-1] + (1 - DECAY) * old
    up = [server for server in range(view.servers) if view.healthy[server]]
    if len(up) < 2:
        return up[0] if up else random.randrange(view.servers)
    first, second = random.sample(up, 2)
    return first if _score(view, first) <= _score(view, second) else second
