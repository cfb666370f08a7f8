"""Wrong fix — the seed's ReplicationRoutingDataSource: every read to "the replica", 0.

Tries: what the Java router does: read-only work goes to the replica data source, writes
to the primary. Monotonic by accident (one replica only moves forward).
Must not pass because: it knows nothing about the session's last write (reads right after
a write miss it), nothing about lag (the stalled replica, if it is this one, keeps every
read), and one replica does all the work while two idle.
Expect: fail on replica_load_ratio
"""

from __future__ import annotations

from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        return 0
