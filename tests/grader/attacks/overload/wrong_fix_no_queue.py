"""Wrong fix — a queue bound so small that goodput suffers: admit only when a worker is free.

Tries: the shortest possible wait: a request is taken only if a worker can start on it
now, so nothing ever queues and every answer is as fast as its service.
Must not pass because: with no queue, a worker that finishes between two arrivals sits
idle, even in the spike, while the refused requests could have waited a few ms for it.
At twice the capacity 4 workers with no queue stay busy only about 85 % of the time: the
server refuses work it had time for. A queue of a few hundred ms of work keeps the
workers fed and the latency low.
Expect: fail on goodput_pct
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    return view.busy + len(view.queue) < view.workers


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
