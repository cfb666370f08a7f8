"""Alternative — EWMA latency with power of two choices (Finagle's Peak EWMA, Linkerd).

Each server is scored by an exponentially weighted moving average of its recent response
times (the newest weigh most) times its outstanding requests plus one. Two healthy servers
are drawn at random and the request goes to the lower score, so a server that answers
slowly (a gray one) is avoided before its queue has grown.
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any

ALPHA = 0.3  # the weight of each newer latency
DEFAULT_MS = 10.0  # a server that has not answered yet


def _score(view: Any, server: int) -> float:
    ewma = DEFAULT_MS
    for i, latency in enumerate(view.latencies[server]):
        ewma = latency if i == 0 else ALPHA * latency + (1 - ALPHA) * ewma
    return ewma * (view.outstanding[server] + 1)


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    first, second = random.sample(up, 2)
    return first if _score(view, first) <= _score(view, second) else second
