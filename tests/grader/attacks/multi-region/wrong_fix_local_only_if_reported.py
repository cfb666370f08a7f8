"""Wrong fix — read locally when the local report has the session's write, else the primary.

Tries: read-your-writes by the reported position alone, never asking a database to wait.
Must not pass because: the report is from the tick's start, so right after a write it never
has it: every writing page reads from the primary, and crosses three times.
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
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = position

    def route_read(self, session: int, region: str, view: Any) -> Any:
        if view.applied[region] >= self.floor.get(session, 0):
            return region
        return view.primary
