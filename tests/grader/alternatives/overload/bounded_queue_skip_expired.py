"""A bounded queue with fast refusal, and expired requests skipped at dequeue.

admit() refuses a request at once when 16 already wait (4 per worker, about 160 ms of
work); drop() skips a request whose client has gone. The plainest admission control.

Expect: pass
"""

from __future__ import annotations

from typing import Any

QUEUE_LIMIT = 16


def admit(view: Any) -> bool:
    """Take the request while the queue has room."""
    return len(view.queue) < QUEUE_LIMIT


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
