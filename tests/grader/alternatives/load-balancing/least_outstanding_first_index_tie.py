"""Alternative — least outstanding requests, ties always going to the lowest-numbered server.

Every request goes to the healthy server with the fewest requests in flight, and among
equals to the first in server order: min() over the healthy servers, deterministic, no
random draws. It looks like the herding of "least response time" (one best server takes
every request), but it is not: the count it reads moves with every request it places, so
server 0 takes a tie, holds one more, and the next request goes elsewhere. Herding needs
a signal that lags (latencies, or counts many balancers cannot see of each other).
Expect: pass
"""

from __future__ import annotations

from typing import Any


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    return min(up or range(view.servers), key=lambda server: view.outstanding[server])
