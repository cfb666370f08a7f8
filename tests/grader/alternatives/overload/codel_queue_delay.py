"""CoDel-style queue management (the variant of Facebook's "Fail at Scale"): every request
is admitted, and at dequeue a request is dropped when it waited longer than a limit. The
limit is short (TARGET) once the queue has not been empty for a whole INTERVAL (a standing
queue: overload), and long (INTERVAL) when the queue emptied recently (a burst that
drains by itself).

Expect: pass
"""

from __future__ import annotations

from typing import Any

TARGET_MS = 100.0
INTERVAL_MS = 1000.0

last_empty = 0.0  # when the queue was last seen empty


def admit(view: Any) -> bool:
    """Take everything; note when the server had nothing waiting."""
    global last_empty
    if not view.queue:
        last_empty = view.now
    return True


def next_request(view: Any) -> int:
    """The oldest request waiting; taking the last one empties the queue."""
    global last_empty
    if len(view.queue) == 1:
        last_empty = view.now
    return 0


def drop(request: Any, now: float) -> bool:
    """Drop a request that waited past the current limit, or whose client has gone."""
    limit = TARGET_MS if now - last_empty > INTERVAL_MS else INTERVAL_MS
    return now - request.arrived > limit or now >= request.deadline
