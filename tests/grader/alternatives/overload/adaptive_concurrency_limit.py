"""An adaptive concurrency limit (AIMD, as TCP's congestion window): the limit of requests
held (in service + waiting) shrinks by 10 % each time a request is served after waiting
longer than a target, and grows by 1/limit each time one is served quickly. Under the
spike the limit settles where waits stay near the target; afterwards it grows back.

Expect: pass
"""

from __future__ import annotations

from typing import Any

TARGET_WAIT_MS = 150.0
FLOOR, CEILING = 4.0, 100.0

limit = 20.0


def admit(view: Any) -> bool:
    """Take the request while the server holds fewer than the current limit."""
    return view.busy + len(view.queue) < int(limit)


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Adjust the limit by how long this request waited; skip it if its client has gone."""
    global limit
    if now - request.arrived > TARGET_WAIT_MS:
        limit = max(FLOOR, limit * 0.9)
    else:
        limit = min(CEILING, limit + 1.0 / limit)
    return now >= request.deadline
