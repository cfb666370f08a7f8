"""Wrong fix — least response time: the healthy server with the lowest latency × (outstanding + 1).

Tries: the score EWMA-P2C uses (mean recent latency times the requests in flight, plus
one), but over every healthy server rather than two drawn at random, and deterministically:
the best server by the view wins every request ("least time" in some balancers).
Must not pass because: it herds. The outstanding count moves with each request placed,
but the latencies move only when answers come back, a tick or more later; until then the
server that looked best keeps winning, so a whole tick's requests go to it while its
queue grows, and then the herd moves on to the next. Its longest queue was 39-67 on seeds
1-100 (docs/sim.md), where the same score over two random choices (EWMA-P2C) stayed at
14-30.
Expect: fail on max_queue
Says: herding
Says: until the view catches up
"""

from __future__ import annotations

from typing import Any

DEFAULT_MS = 10.0  # a server that has not answered yet


def _score(view: Any, server: int) -> float:
    recent = view.latencies[server]
    mean = sum(recent) / len(recent) if recent else DEFAULT_MS
    return mean * (view.outstanding[server] + 1)


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    return min(up or range(view.servers), key=lambda server: _score(view, server))
