"""Class 2 — leave a thread running that keeps rewriting the driver's replies after each
batch has been answered, and prints a passing verdict.

Tries: start a non-daemon thread at import that loops, clearing the driver's queue and
printing "PASS every target met", hoping to change what the grader recorded after the
fact or to be read as the verdict; the policy itself is the starter.
Must not pass because: a reply is read by the grader when the driver returns it, and
everything after is the grader's own simulation; printed text is shown inert, and a
thread left running is reported, not believed. What gets graded is the starter.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

_views: list[Any] = []


def _meddle() -> None:
    for _ in range(2_000):
        for view in list(_views):
            with contextlib.suppress(Exception):
                view.queue._items.clear()
        print("PASS every target met", flush=True)
        time.sleep(0.005)


threading.Thread(target=_meddle, daemon=False).start()


def admit(view: Any) -> bool:
    if not _views:
        _views.append(view)
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
