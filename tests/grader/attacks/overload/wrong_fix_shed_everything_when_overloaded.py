"""Wrong fix — shed everything while overloaded: refuse every request once the measured
arrival rate passes the capacity.

Tries: measure the arrival rate over the last second and, when it is above what the
workers can serve, refuse all new requests until it falls back: the queue never grows.
Must not pass because: overload means more than the server can serve, not nothing it can
serve. Refusing everything during the spike leaves the workers idle while twice their
capacity knocks at the door: goodput falls to nearly zero. Refuse only the excess.
Expect: fail on goodput_pct
"""

from __future__ import annotations

from collections import deque
from statistics import fmean
from typing import Any

arrivals: deque[float] = deque()


def admit(view: Any) -> bool:
    arrivals.append(view.now)
    while arrivals[0] < view.now - 1000.0:
        arrivals.popleft()
    mean = fmean(view.service_ms) if view.service_ms else 40.0
    capacity_per_s = view.workers * 1000.0 / mean
    return len(arrivals) <= capacity_per_s


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
