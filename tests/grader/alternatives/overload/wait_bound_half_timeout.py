"""A queue bounded by its estimated wait: queue length x mean service time / workers,
against half the client's timeout.

The budget comes from the client's own timeout, with room for the service itself and
for the estimate being an average: a request is taken only if the wait ahead of it plus
one service fits in half of view.timeout.

Expect: pass
"""

from __future__ import annotations

from statistics import fmean
from typing import Any


def admit(view: Any) -> bool:
    """Take the request if it should be answered within half the client's timeout."""
    mean = fmean(view.service_ms) if view.service_ms else 50.0
    wait = len(view.queue) * mean / view.workers
    return wait + mean <= view.timeout / 2


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
