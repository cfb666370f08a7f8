"""Class 4 — serve with workers the server does not have: tell the driver there are 40.

Tries: set view.workers to 40 on the first call, so the driver starts up to 40 requests
at once and the queue never builds, as if the server had ten times its capacity.
Must not pass because: the workers are the grader's, not the view's: it keeps its own
count of the 4 workers and refuses a serve with none free, which stops the check as a
wrong result.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    view.workers = 40
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
