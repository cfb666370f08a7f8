"""Newest first always, admit everything, and drop a request whose client has gone.

Adaptive LIFO (adaptive_lifo_deadline_drop.py) with the switch at an empty queue: during
the spike the fresh requests are served at once and the buried ones are dropped when they
come up, for no worker time. It passed on 100 of 100 seeds of the lab's traffic (P99
179-712 ms): a deadline drop is what makes a stack safe, unlike wrong_fix_lifo_always.py.

Expect: pass
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return -1


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
