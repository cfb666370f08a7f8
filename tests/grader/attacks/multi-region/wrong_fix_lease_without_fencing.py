"""Wrong fix — the primary checks its lease before every write, and no fencing token.

Tries: the lease as the whole answer: commit (True) only while node.now < node.lease_until;
the coordinator promotes only after the lease, once the best replica caught up; reads local
with a wait.
Must not pass because: the primary checked its lease for the write in flight, then froze;
it commits that write when it wakes, after the new primary took over. Only a token checked
by the storage refuses it.
Expect: fail on split_brain_writes
Says: writes committed by a replaced primary
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
    return node.now < node.lease_until


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
