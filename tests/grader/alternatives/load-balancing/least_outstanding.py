"""Alternative — least outstanding requests over the healthy servers, ties broken at random.

Every request goes to the healthy server with the fewest requests in flight (HAProxy's
leastconn, AWS's "least outstanding requests"); among equals, one is drawn at random so
server 0 does not take every tie. One balancer has an exact view of its own requests, so
the herding that hurts many balancers sharing this rule does not arise here.
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    fewest = min(view.outstanding[server] for server in up)
    return random.choice([server for server in up if view.outstanding[server] == fewest])
