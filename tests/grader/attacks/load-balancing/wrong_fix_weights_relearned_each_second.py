"""Wrong fix — weights re-learned every second from mean latency, then a weighted random draw.

Tries: the brief says weights learned once go stale when the slow servers change, so
re-learn them every 1 s of simulated time: weight = 1 / mean recent latency, and draw a
healthy server with those weights.
Must not pass because: for a whole second the weights do not move, whatever the queues
do. A server that looked fast at the last update (or whose latencies are the crash's
~1 ms errors) is fed far past its speed until the next one, a latency measures the queue
the weights themselves built, so they swing from one second to the next, and the gray
server keeps its share for up to a second. The longest queue reaches hundreds.
Expect: fail on p99_ratio
"""

from __future__ import annotations

import random
from typing import Any

EVERY_MS = 1_000.0
_weights = [1.0] * 8
_learned_at = -EVERY_MS


def pick(view: Any) -> int:
    global _weights, _learned_at
    if view.now - _learned_at >= EVERY_MS:
        _learned_at = view.now
        _weights = [len(r) / sum(r) if r else 0.1 for r in view.latencies]
    up = [server for server in range(view.servers) if view.healthy[server]]
    return random.choices(up, weights=[_weights[server] for server in up])[0]
