"""Alternative — least outstanding requests, scanned from a rotating start, state in a class.

An object keeps a pointer; each request scans the servers from it, keeps the healthy one
with the fewest in flight (the first found among equals), and moves the pointer past the
winner, so ties are shared out in turn like round robin's. State kept in an instance
whose bound method is the module's pick.
Expect: pass
"""

from __future__ import annotations

from typing import Any


class _Balancer:
    def __init__(self) -> None:
        self.start = 0

    def pick(self, view: Any) -> int:
        best = None
        for step in range(view.servers):
            server = (self.start + step) % view.servers
            if view.healthy[server] and (
                best is None or view.outstanding[server] < view.outstanding[best]
            ):
                best = server
        if best is None:
            best = self.start % view.servers
        self.start = (best + 1) % view.servers
        return best


pick = _Balancer().pick
