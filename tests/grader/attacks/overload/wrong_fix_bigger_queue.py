"""Wrong fix — a bigger queue: a bound of 1,000 requests instead of none.

Tries: bound the queue, as the lesson says, but generously, so that nothing is refused
that could ever be served.
Must not pass because: 1,000 requests are 10 s of work for 4 workers, ten times the
client's timeout. The spike fills it within seconds, every request then waits past its
client's 1 s, and the workers serve answers nobody reads: goodput collapses exactly as
with no bound. A bound has to come from the latency target, not from memory.
Expect: fail on goodput_pct
"""

from __future__ import annotations

from typing import Any

QUEUE_LIMIT = 1000


def admit(view: Any) -> bool:
    return len(view.queue) < QUEUE_LIMIT


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
