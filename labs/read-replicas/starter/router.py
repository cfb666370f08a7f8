"""The read router in front of a primary and 3 replicas: where does each read go?

The driver creates one Router(replicas) per run and calls, in the order things happen:

    on_write(session, position, now)   a session's write committed on the primary at this
                                       log position, at time now (ms); writes always go to
                                       the primary
    route_read(session, view)          where this read goes: "primary" or a replica number,
                                       0 .. view.replicas - 1
    on_read(session, target, position) a read came back from target; it reflected the log
                                       up to this position (you hear it before the
                                       session's next operation)

view is what a router knows when the read arrives:

    view.now          the read's arrival time (ms, simulated)
    view.reported_at  when the replicas last reported (at most 100 ms before now)
    view.applied      per replica: the log position it had applied at reported_at
    view.lag_ms       per replica: how far behind it said it was at reported_at (ms)
    view.primary      the primary's log position at reported_at
    view.max_lag_ms   the lag bound (2,000 ms): a replica further behind is too stale

`random` is seeded by the grader before a run, so a choice drawn from it repeats with the
seed. Sessions are numbered; a new number is a new user.

This version sends every read to the primary: always fresh, and the replicas sit idle.
"""

from __future__ import annotations

from typing import Any

PRIMARY = "primary"


class Router:
    """Routes every read to the primary."""

    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        """The primary committed a write of session at position."""

    def on_read(self, session: int, target: Any, position: int) -> None:
        """A read of session, served by target, reflected the log up to position."""

    def route_read(self, session: int, view: Any) -> Any:
        """Where this read goes: always the primary."""
        return PRIMARY
