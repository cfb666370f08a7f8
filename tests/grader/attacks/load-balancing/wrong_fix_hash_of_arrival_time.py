"""Wrong fix — sticky routing: a hash of the request (its arrival time) over the healthy servers.

Tries: consistent, stateless placement, the way a balancer pins a client to a server by
hashing its address: the same key always lands on the same healthy server, and down
servers are left out.
Must not pass because: a hash spreads keys evenly, like round robin or random: every
healthy server gets an eighth of the traffic whatever its speed or its queue. The slower
servers and the gray one queue just as they do under round robin.
Expect: fail on max_queue
"""

from __future__ import annotations

import hashlib
from typing import Any


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    key = hashlib.blake2b(repr(round(view.now, 3)).encode(), digest_size=8).digest()
    return up[int.from_bytes(key, "big") % len(up)]
