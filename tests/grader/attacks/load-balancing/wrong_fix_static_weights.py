"""Wrong fix — learn each server's speed for three seconds, then weighted random for good.

Tries: least outstanding for the first 3 s of simulated time while the view's latencies
come in, then weights of 1 / mean latency per server, frozen, and a weighted random
choice among the healthy servers (weighted round robin, as a config file would set it).
Must not pass because: the speeds change (two other servers become the slow ones halfway,
and one turns gray): weights fixed early send a slow server more than it can serve, and
its queue grows until the end of the run.
Expect: fail on p99_ratio
Says: of all requests. More than it can serve
Says: weights learned once
"""

from __future__ import annotations

import random
from typing import Any

LEARN_MS = 3_000.0

_weights: list[float] = []


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    if view.now < LEARN_MS:
        return min(up, key=lambda server: view.outstanding[server])
    if not _weights:
        for recent in view.latencies:
            _weights.append(len(recent) / sum(recent) if recent else 0.1)
    return random.choices(up, [_weights[server] for server in up])[0]
