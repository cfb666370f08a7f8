"""Wrong fix — the healthy server with the lowest mean recent latency, outstanding ignored.

Tries: latency is what users feel, so send every request to the server that answered
fastest lately (the mean of view.latencies), skipping the ones the health check found down.
Must not pass because: it herds. A latency comes back only when its request finishes, so
the server that looked fast keeps winning every pick while its queue grows, until the
slow answers arrive and the herd moves on to the next: queues of hundreds. Counting
what is in flight (view.outstanding) is what stops it.
Expect: fail on max_queue
Says: a choice by latency alone herds
Says: herding
"""

from __future__ import annotations

from typing import Any


def pick(view: Any) -> int:
    def mean(server: int) -> float:
        recent = view.latencies[server]
        return sum(recent) / len(recent) if recent else 0.0

    return min((s for s in range(view.servers) if view.healthy[s]), key=mean)
