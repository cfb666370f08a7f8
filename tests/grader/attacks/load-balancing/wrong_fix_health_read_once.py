"""Wrong fix — power of two choices over the servers that were healthy on the first call.

Tries: read view.healthy once, keep the list of healthy servers, and draw two from it on
every call (the health check is looked at when the balancer starts, like a static pool).
Must not pass because: each tick brings a new view.healthy; the copy kept from the start
still lists the crashed server, which fails fast and so wins its draws.
Expect: fail on sent_to_down
Says: read view.healthy on every call
Says: looks idle and fast
"""

from __future__ import annotations

import random
from typing import Any

_pool: list[int] = []


def pick(view: Any) -> int:
    if not _pool:
        _pool.extend(server for server in range(view.servers) if view.healthy[server])
    first, second = random.sample(_pool, 2)
    return first if view.outstanding[first] <= view.outstanding[second] else second
