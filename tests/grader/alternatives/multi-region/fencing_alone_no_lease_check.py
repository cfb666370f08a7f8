"""Fencing tokens without a lease check on the primary: the storage does the refusing.

The primary never looks at its lease; every write carries its epoch, so whatever the frozen
primary commits after waking is refused by the storage, which has seen epoch 2. The
coordinator promotes once heartbeats stop for 500 ms, the lease is gone and the best
replica has caught up.
Expect: pass
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 500.0


def promote(view: Any) -> str | None:
    """The most advanced replica, silent primary, lease gone, caught up with its report."""
    if view.heartbeat_ms[view.primary] < SILENT_MS or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    """Always a fencing token."""
    return node.epoch


class Router:
    """Local reads that wait for the session's last write."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, region: str, view: Any) -> Any:
        up = [r for r in view.regions if view.heartbeat_ms[r] < SILENT_MS]
        target = min(up, key=lambda r: view.rtt_ms[region][r]) if up else view.primary
        return (target, self.floor.get(session, 0))
