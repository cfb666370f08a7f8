"""Adaptive LIFO with a deadline drop: first in, first out while the queue is short;
newest first once it is long (overload), so the requests served are the ones whose
clients are still certain to be waiting, while the old ones age out and are dropped at
dequeue once their deadline has passed.

Expect: pass
"""

from __future__ import annotations

from typing import Any

LONG_QUEUE = 8  # more waiting than this, and the server is overloaded


def admit(view: Any) -> bool:
    """Take everything: the order and the drop shed the excess."""
    return True


def next_request(view: Any) -> int:
    """Newest first while the queue is long, oldest first otherwise."""
    return -1 if len(view.queue) > LONG_QUEUE else 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
