"""Three regions, one primary: local reads that wait for the session's own write, fenced
writes, and a failover that waits for the replica to have what the primary last reported.

- Reads go to the user's own region. A session that wrote carries its write's log
  position, and its reads wait until the local database has applied it (read-your-writes
  at the cost of a replay, a few ms, instead of a crossing). While the local database is
  silent, reads go to the nearest region that is up, waiting the same way.
- The primary commits a write with its epoch as a fencing token, and only under its
  lease: a primary that froze and woke up after its replacement was promoted has its
  writes refused by the storage, which has seen the new epoch.
- The coordinator promotes, once the primary is silent and its lease has run out, the
  replica with the highest position, and only once it has applied the position the
  primary last reported: the writes still in flight on a slow link arrive first, and a
  failover loses at most what the primary committed after its last report.
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 1_000.0  # a database unheard for this long is presumed gone


def promote(view: Any) -> str | None:
    """The most advanced replica, once it has caught up with the primary's last report."""
    if view.heartbeat_ms[view.primary] < SILENT_MS or view.now < view.lease_until:
        return None
    replicas = [r for r in view.regions if r != view.primary]
    best = max(replicas, key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    """Commit with a fencing token, under a valid lease."""
    return node.epoch if node.now < node.lease_until else None


class Router:
    """Local reads that wait for the session's last write."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        """The session must read at least what it wrote."""
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, region: str, view: Any) -> Any:
        """The local database (or the nearest one up), waiting for the session's floor."""
        up = [r for r in view.regions if view.heartbeat_ms[r] < SILENT_MS]
        target = min(up, key=lambda r: view.rtt_ms[region][r]) if up else view.primary
        return (target, self.floor.get(session, 0))
