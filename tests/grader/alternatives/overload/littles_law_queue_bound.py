"""A bounded queue sized by Little's law: the bound is the throughput times the wait budget.

admit() takes a request while the queue holds fewer than L = lambda x W requests, with
lambda the rate the workers can answer (workers / mean recent service time) and W a wait
budget of 250 ms: about 25 requests at 40 ms. drop() skips a request whose client has gone.

Expect: pass
"""

from __future__ import annotations

from typing import Any

WAIT_BUDGET_MS = 250.0
FIRST_GUESS_MS = 40.0


def admit(view: Any) -> bool:
    """Take the request while the queue is shorter than throughput x wait budget."""
    recent = view.service_ms
    mean = sum(recent) / len(recent) if recent else FIRST_GUESS_MS
    bound = view.workers / mean * WAIT_BUDGET_MS
    return len(view.queue) < bound


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
