"""The request server's overload policy: which requests to take, which to serve, which to drop.

The server has 4 workers and one queue. The grader calls three functions:

    admit(view) -> bool             a request arrived: take it (True) or refuse it at once
    next_request(view) -> int       a worker is free: the position in view.queue of the
                                    request to serve next (0 is the oldest, -1 the newest)
    drop(request, now) -> bool      just before that request is served: True drops it
                                    instead (answered with an error, no work spent on it)

view is what the server knows when it decides:

    view.now         the time of the decision (ms, simulated)
    view.queue       the requests waiting, oldest first; each has .id, .arrived and
                     .deadline (ms: when its client gives up)
    view.busy        how many workers are serving a request (view.workers: 4)
    view.timeout     how long a client waits before it gives up (ms)
    view.service_ms  the service times of the last 20 requests finished (ms), newest last

Module-level state lives as long as one run (the grader starts a fresh process).

This version takes every request and serves them in arrival order (first in, first out):
an unbounded FIFO queue.
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    """Take every request."""
    return True


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Serve whatever was chosen."""
    return False
