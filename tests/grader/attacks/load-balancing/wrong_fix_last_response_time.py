"""Wrong fix — the healthy server whose newest latency × (outstanding + 1) is lowest.

Tries: least response time with the freshest signal there is: each server's last latency
rather than a mean of ten (which looks slow to react), times its requests in flight plus
one, the best over every healthy server.
Must not pass because: the newest latency is still news of a request placed a queue ago,
heard a tick after it finished; a fresher latency only makes the best server change more
often. Until its answers come back, the server that looked best wins every request of
the tick, its queue grows, and the herd moves on: its longest queue was 44-132 on seeds
1-100 (docs/sim.md).
Expect: fail on max_queue
Says: herding
"""

from __future__ import annotations

from typing import Any

DEFAULT_MS = 10.0  # a server that has not answered yet


def _score(view: Any, server: int) -> float:
    recent = view.latencies[server]
    return (recent[-1] if recent else DEFAULT_MS) * (view.outstanding[server] + 1)


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    return min(up or range(view.servers), key=lambda server: _score(view, server))
