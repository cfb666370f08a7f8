"""Probabilistic early rejection (RED-style) with a deadline drop.

admit() always takes a request while fewer than 8 wait, refuses one with a probability
that grows linearly from 0 to 1 between 8 and 40 waiting, and refuses every one past
40: the refusals start gently before the queue is full, so it rarely reaches its hard
limit. drop() skips a request whose client has gone. random is seeded by the grader.

Expect: pass
"""

from __future__ import annotations

import random
from typing import Any

MIN_QUEUE, MAX_QUEUE = 8, 40


def admit(view: Any) -> bool:
    """Take the request with a probability that falls as the queue grows."""
    waiting = len(view.queue)
    if waiting < MIN_QUEUE:
        return True
    if waiting >= MAX_QUEUE:
        return False
    refuse = (waiting - MIN_QUEUE) / (MAX_QUEUE - MIN_QUEUE)
    return random.random() >= refuse


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up."""
    return now >= request.deadline
