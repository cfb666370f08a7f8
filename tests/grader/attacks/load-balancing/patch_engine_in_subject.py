"""Class 1 — patch the simulation engine and the driver inside the subject.

Tries: import perfcoach.sim.load_balancing here and replace Outcome.percentile (always
1 ms), simulate and scenario; find the lab's driver in sys.modules and make its View
report every server idle and healthy; then keep round robin.
Must not pass because: the engine that yields the figures runs in the grader's process,
not in this one; whatever this process patches, the grader only receives its choices,
which are still round robin's.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from typing import Any

_turn = itertools.count()


def _patch() -> None:
    with contextlib.suppress(Exception):
        from perfcoach.sim import load_balancing as engine

        engine.Outcome.percentile = lambda self, q: 1.0  # type: ignore[method-assign]
        engine.simulate = lambda *a, **k: engine.Outcome([1.0], [True], [0])  # type: ignore[assignment]
    for module in list(sys.modules.values()):
        balancer = getattr(module, "Balancer", None)
        if balancer is not None and hasattr(module, "decide"):
            with contextlib.suppress(Exception):
                module.RECENT = 0


_patch()


def pick(view: Any) -> int:
    return next(_turn) % view.servers
