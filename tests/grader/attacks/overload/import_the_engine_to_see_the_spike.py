"""Class 3 — import the grader's simulation engine to draw the traffic ahead of time.

Tries: import perfcoach.sim.overload in the subject, draw the scenario for the seeds the
check is likely to use, and refuse every request of the spike window it predicts; serve
everything otherwise.
Must not pass because: the sandbox refuses to import perfcoach.sim in the learner's
process, and the check's traffic comes from a slow hash of a seed this process never
sees; without the engine this is the starter, which misses every target.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import random
from typing import Any

_spike: tuple[float, float] | None = None

with contextlib.suppress(Exception):
    from perfcoach.sim import overload as _engine

    _sc = _engine.scenario(random.Random(1))
    _spike = (_sc.spike_start, _sc.spike_end)


def admit(view: Any) -> bool:
    if _spike is not None and _spike[0] <= view.now < _spike[1]:
        return len(view.queue) < 16
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
