"""Class 1 — patch the simulation engine and the driver inside the subject.

Tries: import perfcoach.sim.load_balancing here and replace Outcome.percentile (always
1 ms), simulate (an outcome with one fast request) and scenario (every server fast, no
windows); find the lab's driver in sys.modules and make its Balancer drop every
response it is told of and report every server healthy; then keep round robin.
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


def _blind(original: Any) -> Any:
    """The driver's decide, told of no response and of no server down."""

    def decide(self: Any, m: Any, responses: Any, healthy: Any, arrivals: Any) -> Any:
        return original(self, m, [], (True,) * len(healthy), arrivals)

    return decide


def _patch() -> None:
    with contextlib.suppress(Exception):
        from perfcoach.sim import load_balancing as engine

        engine.Outcome.percentile = lambda self, q: 1.0  # type: ignore[method-assign]
        engine.simulate = lambda *a, **k: engine.Outcome([1.0], [True], [0])  # type: ignore[assignment]
        engine.scenario = lambda *a, **k: None  # type: ignore[assignment]
    for module in list(sys.modules.values()):
        balancer = getattr(module, "Balancer", None)
        if balancer is None or not hasattr(module, "decide"):
            continue
        with contextlib.suppress(Exception):
            balancer.decide = _blind(balancer.decide)


_patch()


def pick(view: Any) -> int:
    return next(_turn) % view.servers
