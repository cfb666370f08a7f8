"""The request server's overload policy: admission control and deadline drop.

admit() refuses a request at once when the queue already holds more work than the wait
budget: the estimated wait is the number of requests waiting times the mean recent
service time, shared by the workers. A refused client hears no within a millisecond and
can retry elsewhere, and the queue never grows past a few hundred ms, so every request
that is taken is answered long before its client gives up, during the spike and after it.
drop() skips a request whose client has already gone: serving it would cost a worker its
whole service for an answer nobody reads. The order stays first in, first out.
"""

from __future__ import annotations

from typing import Any

WAIT_BUDGET_MS = 300.0  # the longest estimated wait a request is admitted to
FIRST_GUESS_MS = 40.0  # the mean service time assumed before any request has finished


def mean_service(view: Any) -> float:
    """The mean of the recent service times (a guess before the first one)."""
    recent = view.service_ms
    return sum(recent) / len(recent) if recent else FIRST_GUESS_MS


def admit(view: Any) -> bool:
    """Take the request only if its estimated wait fits the budget."""
    wait = (len(view.queue) + 1) * mean_service(view) / view.workers
    return wait <= WAIT_BUDGET_MS


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Drop a request whose client has already given up."""
    return now >= request.deadline
