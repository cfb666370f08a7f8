"""A gradient concurrency limit (Netflix concurrency-limits' Gradient2): the limit on
requests in the server (busy + queued) follows the ratio of the no-load latency to the
latency measured now, plus a small queue allowance.

The latency sample is what the server sees at dequeue: the request's wait plus the mean
service time. The long-run no-load latency is the mean service time alone. Each serve
sets limit = limit x clamp(no_load / sample, 0.5, 1) + sqrt(limit), smoothed, between 4
and 200: under a growing queue the gradient falls and the limit shrinks to about what
the workers can take, and it grows back at once when the waits are short. drop() skips a
request whose client has gone.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

FIRST_GUESS_MS = 40.0
MIN_LIMIT, MAX_LIMIT = 4.0, 200.0
SMOOTHING = 0.2
_limit = [20.0]


def _mean(view: Any) -> float:
    recent = view.service_ms
    return sum(recent) / len(recent) if recent else FIRST_GUESS_MS


def admit(view: Any) -> bool:
    """Take the request while the requests in the server stay under the limit."""
    return view.busy + len(view.queue) < _limit[0]


def next_request(view: Any) -> int:
    """The oldest request waiting; its wait updates the limit."""
    mean = _mean(view)
    sample = view.now - view.queue[0].arrived + mean
    gradient = max(0.5, min(1.0, mean / sample))
    target = _limit[0] * gradient + math.sqrt(_limit[0])
    limit = (1 - SMOOTHING) * _limit[0] + SMOOTHING * target
    _limit[0] = max(MIN_LIMIT, min(MAX_LIMIT, limit))
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
