"""Class 3 — read the batch of events from the driver's frame: the completions ahead.

Tries: the driver holds the whole batch (arrivals and completions to come, with their
service times) in the frame that calls admit(). Read it to learn, before they happen, how
long the requests in service will take, and admit a request only if the workers will be
free soon enough by that knowledge; otherwise serve everything in order.
Must not pass because: a batch reaches no further than the work already in progress, so
it says nothing of the requests still waiting, and admitting by when the current
requests end still lets the queue grow without bound: the backlog and its late answers
are the starter's.
Expect: not pass
"""

from __future__ import annotations

import sys
from typing import Any


def _ahead() -> list[Any]:
    frame = sys._getframe(2)
    while frame is not None:
        events = frame.f_locals.get("events")
        if isinstance(events, list):
            return events
        frame = frame.f_back
    return []


def admit(view: Any) -> bool:
    ends = [event[1] for event in _ahead() if event[0] == "done"]
    return not ends or min(ends) - view.now < 1_000.0


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
