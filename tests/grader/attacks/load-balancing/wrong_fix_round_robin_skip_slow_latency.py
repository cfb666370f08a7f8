"""Wrong fix — round robin over healthy servers, skipping those 1.5x slower than average.

Tries: keep round robin's fairness, but leave out the servers that look slow: a fixed
threshold on each server's mean recent latency against the cluster's.
Must not pass because: latency is a late and noisy signal. A gray server's latencies rise
only once its queue has grown (each answer waits for the ones before), and once it is
skipped it gets no requests, so its mean never comes down: it is left out for good, and
then another server with a few long requests crosses the threshold. The 10 % slower
servers never cross it at all and keep an eighth of the traffic each. Queues reach 40-85.
Expect: fail on max_queue
"""

from __future__ import annotations

import itertools
from typing import Any

THRESHOLD = 1.5
DEFAULT_MS = 10.0
_turn = itertools.count()


def pick(view: Any) -> int:
    means = [sum(r) / len(r) if r else DEFAULT_MS for r in view.latencies]
    average = sum(means) / len(means)
    server = 0
    for _ in range(view.servers):
        server = next(_turn) % view.servers
        if view.healthy[server] and means[server] <= THRESHOLD * average:
            return server
    return server
