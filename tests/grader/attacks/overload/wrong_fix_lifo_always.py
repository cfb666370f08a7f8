"""Wrong fix — LIFO always: serve the newest request first, every time, and nothing else.

Tries: the newest request's client is surely still waiting, so serve it first; the
unbounded queue stays, nothing is refused or dropped.
Must not pass because: the old requests are not gone, only buried. Through the spike
they pile up at the bottom of the stack, and when the load falls the workers dig through
them, serving thousands of answers seconds after their clients left: the P99 of what is
served is many seconds, and that work is wasted. LIFO helps only with a drop of what has
expired, and only while overloaded.
Expect: fail on p99_ms
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return -1


def drop(request: Any, now: float) -> bool:
    return False
