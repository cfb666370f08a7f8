"""A coordinator with a margin for clock drift, a primary that checks its lease, all fenced.

The coordinator waits 300 ms past the lease before it promotes the most advanced replica,
once that replica has applied what the primary last reported; the primary refuses writes
once its own lease has run out and commits with its epoch as a fencing token. Reads are
local and wait for the session's write.
Expect: pass
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 1_000.0
MARGIN_MS = 300.0


def promote(view: Any) -> str | None:
    """After the lease plus a margin, the replica that caught up with the last report."""
    if view.now < view.lease_until + MARGIN_MS:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


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
