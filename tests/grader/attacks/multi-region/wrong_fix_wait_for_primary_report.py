"""Wrong fix — local reads that wait for the primary's reported position, not the session's.

Tries: "catch up with the primary before reading": wait until the local database has
applied what the primary reported at the tick's start.
Must not pass because: a write made after that report has a higher position; waiting for
the report does not wait for it, and the read misses the session's own write.
Expect: fail on ryw_violations
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
        target = region if view.heartbeat_ms[region] < SILENT_MS else view.primary
        return (target, view.applied[view.primary])
