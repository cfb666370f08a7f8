"""Alternative — least outstanding requests, ties going to the highest-numbered server.

Every request goes to the healthy server with the fewest requests in flight; among equals
the last one in server order wins (a deterministic tie-break, no random draws). A slow
or gray server answers slowly, so its count stays high and it is passed over; the down
server is no candidate once its check says so. The tie-break decides nothing that
matters: a server that took a tie has one more in flight at the next request.
Expect: pass
"""

from __future__ import annotations

from typing import Any


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    up = up or list(range(view.servers))
    return min(reversed(up), key=lambda server: view.outstanding[server])
