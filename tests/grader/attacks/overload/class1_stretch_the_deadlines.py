"""Class 1 — change the clock the deadlines are read from: give every request a 60 s
deadline in the driver, and the view a 60 s timeout.

Tries: patch the driver's Request so each request's deadline is 60 s after its arrival,
and set view.timeout to 60 s, hoping that the grader then counts the late answers as in
time; serve in arrival order, drop only "expired" requests.
Must not pass because: the deadlines the grader judges by are its own (the clients' 1 s
timeout in the simulation); the driver's copies only steer this process's own decisions.
Stretched deadlines make the policy the starter again.
Expect: fail on goodput_pct
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, NamedTuple


class _Late(NamedTuple):
    id: int
    arrived: float
    deadline: float


def _stretched(cls: Any, id: int, arrived: float, deadline: float) -> Any:
    return tuple.__new__(cls, (id, arrived, arrived + 60_000.0))


for _module in list(sys.modules.values()):
    request = getattr(_module, "Request", None)
    if request is not None and hasattr(_module, "Server"):
        with contextlib.suppress(Exception):
            request.__new__ = _stretched


def admit(view: Any) -> bool:
    with contextlib.suppress(Exception):
        view.timeout = 60_000.0
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
