"""Shortest remaining deadline first (least slack), expired requests dropped, and a bound
on the slack a new request is admitted with.

next_request() serves the waiting request with the least time left before its deadline
that can still finish in time (now + mean service <= deadline); every request has the same
timeout, so that is the oldest one still alive, and drop() skips the ones that cannot
finish. Least slack first alone is known to collapse under overload (every request ends
with little slack), so admit() refuses a request whose estimated wait (queue x mean
service / workers) would leave it less than 600 ms of its 1 s.

Expect: pass
"""

from __future__ import annotations

from typing import Any

MIN_SLACK_MS = 600.0
FIRST_GUESS_MS = 40.0
_mean = [FIRST_GUESS_MS]


def _update(view: Any) -> float:
    recent = view.service_ms
    _mean[0] = sum(recent) / len(recent) if recent else FIRST_GUESS_MS
    return _mean[0]


def admit(view: Any) -> bool:
    """Take the request if it would keep enough slack after its estimated wait."""
    mean = _update(view)
    wait = len(view.queue) * mean / view.workers
    return view.timeout - wait - mean >= MIN_SLACK_MS


def next_request(view: Any) -> int:
    """The position of the live request with the least slack left."""
    mean = _update(view)
    best, best_slack = 0, float("inf")
    for position, request in enumerate(view.queue):
        slack = request.deadline - view.now - mean
        if 0 <= slack < best_slack:
            best, best_slack = position, slack
    return best


def drop(request: Any, now: float) -> bool:
    """Skip a request that cannot finish before its client gives up."""
    return now + _mean[0] > request.deadline
