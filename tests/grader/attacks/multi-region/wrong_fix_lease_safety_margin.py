"""Wrong fix — refuse writes unless the lease has at least 1.8 s left, "to be safe".

Tries: a generous safety margin on the lease, as if it could cover a pause, with a token.
Must not pass because: the lease (2 s) is renewed every 500 ms, so most of the time it has
less than 1.8 s left: the primary refuses most writes, and no margin covers a pause of
seconds anyway.
Expect: fail on refused_pct
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
    return node.epoch if node.lease_until - node.now >= 1_800.0 else None


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
