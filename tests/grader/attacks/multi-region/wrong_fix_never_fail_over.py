"""Wrong fix — never promote: wait for the primary to come back.

Tries: avoid split brain and loss by never failing over; reads local with a wait, the
primary fenced.
Must not pass because: the primary is frozen for 8-11 s, and no write is committed until it
wakes.
Expect: fail on failover_ms
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 1_000.0


def promote(view: Any) -> str | None:
    return None


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
