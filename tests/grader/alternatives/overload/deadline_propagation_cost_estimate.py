"""Deadline propagation with a cost estimate: refuse a request that cannot be answered in
the latency budget, and drop one that can no longer finish before its client's deadline.

Each request carries a deadline. admit() estimates when the new request would be answered
(now + the queue ahead of it x mean service / workers + its own service) and refuses it
at once when that passes the server's own deadline for it, arrival + a 500 ms latency
budget, well inside the client's 1 s. drop() skips a request that cannot finish before its
client's deadline (now + mean service > deadline).

Expect: pass
"""

from __future__ import annotations

from typing import Any

LATENCY_BUDGET_MS = 500.0
FIRST_GUESS_MS = 40.0
_mean = [FIRST_GUESS_MS]


def admit(view: Any) -> bool:
    """Take the request only if its estimated answer time meets the budget's deadline."""
    recent = view.service_ms
    mean = sum(recent) / len(recent) if recent else FIRST_GUESS_MS
    _mean[0] = mean
    answered = view.now + len(view.queue) * mean / view.workers + mean
    return answered <= view.now + LATENCY_BUDGET_MS


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request that cannot be answered before its client gives up."""
    return now + _mean[0] > request.deadline
