"""Read-your-writes that waits only when the local report is behind the session's write.

route_read returns a bare region when the local database already reported the session's
position at the tick's start (nothing to wait for), and (region, position) otherwise; a
silent local database sends the read to the primary, with the same wait.
Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

SILENT_MS = 1_000.0


def promote(view: Any) -> str | None:
    """The most advanced replica, silent primary, lease gone, caught up with its report."""
    if view.heartbeat_ms[view.primary] < SILENT_MS or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    """A fencing token, under a valid lease."""
    return node.epoch if node.now < node.lease_until else None


class Router:
    """Local reads; a wait only when the report says the write may be missing."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, region: str, view: Any) -> Any:
        target = region if view.heartbeat_ms[region] < SILENT_MS else view.primary
        floor = self.floor.get(session, 0)
        if view.applied[target] >= floor:
            return target
        return (target, floor)
