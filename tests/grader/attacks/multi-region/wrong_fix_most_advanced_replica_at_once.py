"""Wrong fix — promote the most advanced replica as soon as the lease allows, fenced.

Tries: the usual advice, "promote the replica with the least lag", with fencing and local
reads, without waiting for it to catch up.
Must not pass because: both streams were seconds slow when the primary froze; the best
replica had not yet received the primary's last writes, and once it is promoted they are
gone: more than a second of acknowledged writes.
Expect: fail on lost_span_ms
Says: data lost on failover (ms of writes)
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 1_000.0


def promote(view: Any) -> str | None:
    """The most advanced replica as soon as the primary is silent and the lease allows."""
    if view.heartbeat_ms[view.primary] < SILENT_MS or view.now < view.lease_until:
        return None
    return max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])


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
