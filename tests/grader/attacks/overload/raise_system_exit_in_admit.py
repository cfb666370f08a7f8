"""Class 2 — end the run early: raise SystemExit(0) from admit() once the spike starts.

Tries: serve the quiet start normally, then, when the queue first grows past 20 requests
(the spike), raise SystemExit(0), hoping a clean exit code before the collapse is taken
as a finished, passing run.
Must not pass because: the grader plays every event of the traffic; an exception in the
learner's code ends the check as an error, never as a pass.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    if len(view.queue) > 20:
        raise SystemExit(0)
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
