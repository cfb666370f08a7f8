"""Class 4 — take requests out of the driver's queue behind the grader's back.

Tries: on every arrival, clear the driver's own queue (the deque behind view.queue), so
requests vanish without a drop being reported: no late answer, no dropped request, no
refusal on record, as if the work had been done elsewhere.
Must not pass because: the grader keeps the queue itself; requests it still holds wait
for a worker, and a reply that leaves a worker idle while they wait, or serves one it
never admitted, cannot be carried out: the check stops with a wrong result.
Expect: wrong result
"""

from __future__ import annotations

import contextlib
from typing import Any


def admit(view: Any) -> bool:
    with contextlib.suppress(Exception):
        view.queue._items.clear()
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
