"""Wrong fix — local reads, but a session reads from the primary for 1 s after it writes.

Tries: time-based pinning, the classic read-your-writes shortcut, with a correct failover.
Must not pass because: a page that writes then reads twice from the primary crosses three
times: in sg that is three 155 ms round trips, and with 10 % of pages writing those pages
are the P95.
Expect: fail on max_crossings
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
        self.wrote: dict[int, float] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.wrote[session] = now

    def route_read(self, session: int, region: str, view: Any) -> Any:
        if view.now - self.wrote.get(session, -1e9) < 1_000.0:
            return view.primary
        up = [r for r in view.regions if view.heartbeat_ms[r] < SILENT_MS]
        return min(up, key=lambda r: view.rtt_ms[region][r]) if up else view.primary
