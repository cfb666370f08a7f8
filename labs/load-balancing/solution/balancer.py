"""The load balancer in front of 8 servers: power of two choices over the healthy servers.

pick(view) draws two different servers at random among those the last health check found
up, and sends the request to the one with fewer outstanding requests. A slow or gray
server answers slowly, so its outstanding count stays high and it loses most draws; a
down server is never a candidate once a check has said so. Random draws (rather than
"the least loaded of all") keep many balancers from piling onto the same server.
"""

from __future__ import annotations

import random
from typing import Any


def pick(view: Any) -> int:
    """The less loaded of two healthy servers drawn at random."""
    up = [server for server in range(view.servers) if view.healthy[server]]
    if len(up) < 2:
        return up[0] if up else random.randrange(view.servers)
    first, second = random.sample(up, 2)
    return first if view.outstanding[first] <= view.outstanding[second] else second
