"""Alternative — power of two choices, written with random.randrange rather than sample.

Draw one healthy server, then a second different one, and send to the one with fewer
outstanding requests (Envoy's LEAST_REQUEST, NGINX's `random two least_conn`).
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    first = up[random.randrange(len(up))]
    second = first
    while second == first:
        second = up[random.randrange(len(up))]
    return min(first, second, key=lambda server: view.outstanding[server])
