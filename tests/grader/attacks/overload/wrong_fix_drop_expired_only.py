"""Wrong fix — drop expired requests, but keep the queue unbounded.

Tries: skip every request whose deadline has passed at dequeue, and admit everything.
Must not pass because: the queue still grows through the spike, so it holds about a
second of work: the requests that are served are the ones just short of their deadline.
Most of them finish after it (their service pushes them past 1 s): the workers' time
goes to late answers, goodput stays low, and the P99 of what is served sits at the
timeout. Refusing at admission is what keeps the wait short.
Expect: fail on p99_ms
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
