"""Class 1 — make the driver answer a tick with something that is not a list of decisions.

Tries: replace the driver's Balancer.decide() (its class, from pick()'s caller) with one
that, once the crash window is likely under way, answers None, then an object, instead of
the tick's list of servers, hoping the grader skips a tick it cannot read (its requests
never placed, so they never queue or fail) or crashes into a verdict that is not a fail.
Must not pass because: every tick's answer must be one server per request; anything else
stops the check as a wrong result naming the tick (not "a bug in the lab"), and the
requests are never dropped from the figures.
Expect: wrong result
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

_turn = itertools.count()
_ticks = itertools.count()


_patched = False


def pick(view: Any) -> int:
    global _patched
    if not _patched:
        _patched = True
        _patch(type(sys._getframe(1).f_locals["self"]))
    return next(_turn) % view.servers


def _patch(balancer_class: Any) -> None:
    original = balancer_class.decide

    def decide(self: Any, module: Any, *rest: Any) -> Any:
        tick = next(_ticks)
        if tick >= 250 and tick % 2:
            return None if tick % 4 == 1 else object()
        return original(self, module, *rest)

    balancer_class.decide = decide
