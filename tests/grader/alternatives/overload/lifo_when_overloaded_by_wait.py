"""Adaptive LIFO keyed on the oldest request's wait rather than the queue's length, with
a bounded queue: newest first once the oldest waiting request has waited over 200 ms,
and a hard limit of 40 queued requests refused at once.

Expect: pass
"""

from __future__ import annotations

from typing import Any

QUEUE_LIMIT = 40
OVERLOADED_AFTER_MS = 200.0


def admit(view: Any) -> bool:
    """Take the request while the queue has room."""
    return len(view.queue) < QUEUE_LIMIT


def next_request(view: Any) -> int:
    """Newest first while the oldest waiting has waited too long."""
    oldest = view.queue[0]
    return -1 if view.now - oldest.arrived > OVERLOADED_AFTER_MS else 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
