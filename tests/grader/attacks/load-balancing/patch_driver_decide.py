"""Class 1 — rewrite the lab's driver in this process so busy ticks place nobody.

Tries: find driver.py's module in sys.modules and replace its decide() (and the
Balancer's method) with one that returns round robin's choices for quiet ticks and an
empty list for a tick that would queue, hoping the grader simulates only what it is
told, so the slow requests never exist.
Must not pass because: the grader knows how many requests each tick holds and wants one
server for each; a short answer stops the check as a wrong result (and if the harness
calls the driver it loaded, not the patched name, round robin is what gets graded).
Expect: not pass
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from typing import Any

_turn = itertools.count()


def _short(module: Any, balancer: Any, batch: tuple[Any, ...]) -> list[int]:
    _now, _responses, _healthy, arrivals = batch
    if len(arrivals) > 3:
        return []
    return [next(_turn) % 8 for _ in arrivals]


def _patch() -> None:
    for module in list(sys.modules.values()):
        if hasattr(module, "Balancer") and hasattr(module, "decide"):
            with contextlib.suppress(Exception):
                module.decide = _short
            with contextlib.suppress(Exception):
                module.Balancer.decide = lambda self, m, r, h, a: _short(m, self, (0, r, h, a))


_patch()


def pick(view: Any) -> int:
    return next(_turn) % view.servers
