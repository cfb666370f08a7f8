"""Class 4 — draw the week with the grader's own engine: import perfcoach.sim.rightsizing
and simulate the seeds a check is likely to use, then keep the fleet for the week whose
first loads match.

Tries: go around the one-interval-at-a-time channel by computing the loads ahead.
Must not pass because: the sandbox refuses to import perfcoach.sim in the learner's
process, and the check's week comes from a slow hash of a seed this process never sees;
without the engine this keeps the peak fleet, the starter.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import math
import random
from typing import Any

_weeks: list[Any] = []
_week: Any = None

with contextlib.suppress(Exception):
    from perfcoach.sim import rightsizing as _engine

    _weeks = [_engine.scenario(random.Random(seed)) for seed in range(1, 200)]


def policy(observation: Any) -> int:
    global _week
    if _week is None and len(observation.history) >= 6:
        for week in _weeks:
            if list(week.load[:6]) == list(observation.history[:6]):
                _week = week
    if _week is None:
        return 50
    ahead = _week.load[min(observation.t + 2, len(_week.load) - 1)]
    return max(2, math.ceil(ahead / observation.per_instance_rps))
