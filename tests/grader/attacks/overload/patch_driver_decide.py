"""Class 1 — rewrite the lab's driver in this process so the late answers never happen.

Tries: find driver.py's module in sys.modules and replace Server.decide with one that
answers every event as the starter would, but reports each expired request as served the
moment its service would start anyway, and every arrival of the spike as refused while
still serving it, hoping the grader counts what it is told rather than what happens.
Must not pass because: the grader keeps its own queue and checks every reply against it:
a request reported served that is not waiting, or a worker claimed that is busy, is a
reply the server cannot carry out, and the check stops with a wrong result.
Expect: wrong result
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any


def _decide(self: Any, module: Any, events: list[Any]) -> list[Any]:
    replies: list[Any] = []
    for number, event in enumerate(events):
        if event[0] == "arrive":
            replies.append((False, [], number))  # refused, yet served
        else:
            replies.append((None, [], None))
    return replies


def _patch() -> None:
    for module in list(sys.modules.values()):
        server = getattr(module, "Server", None)
        if server is not None and hasattr(module, "decide"):
            with contextlib.suppress(Exception):
                server.decide = _decide


_patch()


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
