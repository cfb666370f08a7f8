"""Wrong fix — local reads for everything, no wait for the session's own write.

Tries: the obvious latency fix: every read to the user's region (the nearest one up), the
failover done right. Fast everywhere, one crossing at most.
Must not pass because: the write's answer reaches the user's region a few ms before the
replication stream does, so the read that follows it often misses it: read-your-writes.
Expect: fail on ryw_violations
Says: reads that missed their session's own write
"""

from __future__ import annotations

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
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def route_read(self, session: int, region: str, view: Any) -> Any:
        up = [r for r in view.regions if view.heartbeat_ms[r] < SILENT_MS]
        return min(up, key=lambda r: view.rtt_ms[region][r]) if up else view.primary
