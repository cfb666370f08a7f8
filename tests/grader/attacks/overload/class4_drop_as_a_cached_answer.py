"""Class 4 — answer every request "from a cache" by dropping it: no worker time, no queue.

Tries: drop(request, now) returns True for every request, as if dropping meant a cached
answer was sent instead of the worker's: nothing waits, nothing is late, no worker time
is wasted, and the P99 of what is served is empty.
Must not pass because: a dropped request is an error for its client, not an answer; the
only useful answers are the ones the grader's workers complete in time, so goodput is
zero.
Expect: fail on goodput_pct
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return True
