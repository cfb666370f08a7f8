"""Three regions, one primary: local reads that wait for the session's own write, a primary
that refuses writes its replicas are too far behind to save, and fenced failover.

- Reads go to the user's own region. A session that wrote carries its write's log
  position, and its reads wait until the local database has applied it (read-your-writes
  at the cost of a replay, about 2 ms, instead of a crossing). While the local database is
  down (no heartbeat), reads go to the nearest region that is up, waiting the same way.
- The primary commits a write with its epoch as a fencing token, and only while it holds
  its lease and some replica is within the lag bound: a failover then loses at most the
  bound's worth of writes, and a primary that froze and woke up after its replacement
  was promoted has its writes refused by the storage.
- The coordinator promotes, once the primary has gone silent, the replica that reported
  the highest position (the one missing the fewest writes).
"""

from __future__ import annotations

from typing import Any

SILENT_MS = 1_000.0  # a primary unheard for this long is presumed gone


def promote(view: Any) -> str | None:
    """The most advanced replica, once the primary is silent and its lease has run out."""
    if view.heartbeat_ms[view.primary] < SILENT_MS or view.now < view.lease_until:
        return None
    replicas = [r for r in view.regions if r != view.primary and view.applied[r] is not None]
    return max(replicas, key=lambda r: view.applied[r]) if replicas else None


def accept_write(node: Any) -> Any:
    """Commit with a fencing token, under a valid lease, within the lag bound."""
    if node.now >= node.lease_until:
        return None
    if not node.lag_ms or min(node.lag_ms.values()) > node.max_lag_ms:
        return None
    return node.epoch


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
