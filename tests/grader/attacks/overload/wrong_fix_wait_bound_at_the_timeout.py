"""Wrong fix — a wait bound at the client's timeout: admit while the estimated wait plus
one service fits in the full timeout.

Tries: admission control by estimated wait (queue length x mean service / workers), with
the whole 1 s as the budget: take every request that should, on average, make it.
Must not pass because: an estimate is an average, and at the bound half the requests
take longer than it: waits sit just under a second, answers come at 1 s and later, the
P99 sits at the timeout, and many answers arrive after the client left. Budget the wait
from the latency target, well under the timeout.
Expect: fail on p99_ms
"""

from __future__ import annotations

from statistics import fmean
from typing import Any


def admit(view: Any) -> bool:
    mean = fmean(view.service_ms) if view.service_ms else 40.0
    wait = len(view.queue) * mean / view.workers
    return wait + mean <= view.timeout


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
