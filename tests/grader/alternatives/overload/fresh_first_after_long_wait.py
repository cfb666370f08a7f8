"""Priority to fresh requests once the oldest has waited too long, with a queue bound by
the estimated wait and a deadline drop.

next_request() serves the oldest request, unless the oldest has waited over 300 ms: then
the freshest, whose client will still be there for its answer. admit() refuses a request
when the estimated wait (queue x mean service / workers) passes 400 ms. drop() skips a
request whose client has gone.

Expect: pass
"""

from __future__ import annotations

from typing import Any

STALE_AFTER_MS = 300.0
WAIT_BUDGET_MS = 400.0
FIRST_GUESS_MS = 40.0


def admit(view: Any) -> bool:
    """Take the request if its estimated wait fits the budget."""
    recent = view.service_ms
    mean = sum(recent) / len(recent) if recent else FIRST_GUESS_MS
    return (len(view.queue) + 1) * mean / view.workers <= WAIT_BUDGET_MS


def next_request(view: Any) -> int:
    """The freshest request when the oldest has waited too long, the oldest otherwise."""
    return -1 if view.now - view.queue[0].arrived > STALE_AFTER_MS else 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
