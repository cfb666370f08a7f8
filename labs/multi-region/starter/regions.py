"""Three regions (va, fr, sg), one primary database, app servers in every region.

Users are served by the app server of their own region. A page may write once, then
reads twice, one read after the other. The grader calls, in the order things happen:

    promote(view)                       once a tick (100 ms), as the coordinator: the
                                        region to promote to primary, or None
    accept_write(node)                  on the primary's database, for each write it
                                        receives: True to commit it, an int to commit it
                                        with that fencing token (the storage refuses a
                                        token lower than the newest epoch it has seen),
                                        None or False to refuse it
    Router(regions)                     once, then for each page of a session:
    router.on_write(session, position, now)   the session's write was accepted at this
                                        log position
    router.route_read(session, region, view)  where this read goes: a region, or
                                        (region, position) to have that region's database
                                        wait until it has applied the position (at most
                                        1 s) before it answers

view (the coordinator's and the app servers' knowledge): view.regions, view.rtt_ms[a][b]
(round trips, ms), view.now, view.primary and view.epoch (as announced), view.applied
(per region, the log position its database last reported having applied), view.heartbeat_ms (per region, ms since its database was last heard),
view.lease_until (when the primary's lease ends unless renewed; it renews every 500 ms).
A silent database's view.applied is what it last reported.

node (the primary's database, when it checks a write): node.region, node.now, node.epoch
(the epoch it believes it holds), node.lease_until (its lease, as it last renewed it).

`random` is seeded by the grader before a run. Module-level state lives for one run.

This version sends every read to the primary, and its primary commits every write it
receives, unfenced. Its coordinator promotes the replica that reported the highest
position as soon as the primary has been silent for 300 ms (the coordinator itself
refuses while the primary's lease holds).
"""

from __future__ import annotations

from typing import Any


def promote(view: Any) -> str | None:
    """Fail over as soon as the primary misses a few heartbeats."""
    if view.heartbeat_ms[view.primary] < 300:
        return None
    replicas = [r for r in view.regions if r != view.primary]
    return max(replicas, key=lambda r: view.applied[r])


def accept_write(node: Any) -> Any:
    """The primary commits whatever reaches it."""
    return True


class Router:
    """Reads go where the writes go: the primary, always up to date."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def on_write(self, session: int, position: int, now: float) -> None:
        """A write of session was accepted at position."""

    def route_read(self, session: int, region: str, view: Any) -> Any:
        """Every read to the primary's region."""
        return view.primary
