"""A coordinator that keeps its own record: silent ticks, and the primary's last position.

promote() remembers the primary's reported position while its heartbeats are fresh and
counts the ticks since it went silent; after 8 silent ticks and the lease, it promotes the
most advanced replica once that replica has the remembered position.
Expect: pass
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 1_000.0


_silent_ticks = 0
_last_seen = 0


def promote(view: Any) -> str | None:
    """Promote on the coordinator's own record of the primary."""
    global _silent_ticks, _last_seen
    if view.heartbeat_ms[view.primary] == 0:
        _silent_ticks = 0
        _last_seen = view.applied[view.primary]
        return None
    _silent_ticks += 1
    if _silent_ticks < 8 or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= _last_seen else None


def accept_write(node: Any) -> Any:
    """A fencing token, under a valid lease."""
    return node.epoch if node.now < node.lease_until else None


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
