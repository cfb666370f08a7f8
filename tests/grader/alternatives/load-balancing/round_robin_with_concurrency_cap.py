"""Alternative — round robin over the healthy servers, skipping any with 4 or more in flight.

The rotation goes on as before, but a server that is down (its check says so) or already
holds 4 requests is skipped; if every healthy server holds 4, the least loaded takes it.
A per-server cap on concurrent requests (a "max connections" setting) makes round robin
read the load: a slow or gray server fills its 4 slots and is passed over until it
answers, so no server queues much past the cap.
Expect: pass
"""

from __future__ import annotations

import itertools
from typing import Any

CAP = 4
_turn = itertools.count()


def pick(view: Any) -> int:
    for _ in range(view.servers):
        server = next(_turn) % view.servers
        if view.healthy[server] and view.outstanding[server] < CAP:
            return server
    up = [server for server in range(view.servers) if view.healthy[server]]
    return min(up or range(view.servers), key=lambda server: view.outstanding[server])
