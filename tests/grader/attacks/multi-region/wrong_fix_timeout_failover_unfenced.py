"""Wrong fix — fail over on a heartbeat timeout; the primary accepts whatever reaches it.

Tries: the reads fixed, the promotion careful about loss, and every write committed
unfenced: the coordinator's timeout is trusted to mean the old primary is gone.
Must not pass because: the frozen primary wakes with its write in flight and the writes
that queued while it was frozen, and commits them after the new primary took over.
Expect: fail on split_brain_writes
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 300.0


def promote(view: Any) -> str | None:
    """The most advanced replica, silent primary, lease gone, caught up with its report."""
    if view.heartbeat_ms[view.primary] < SILENT_MS or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    return True


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
