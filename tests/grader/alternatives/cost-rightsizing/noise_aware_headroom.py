"""Headroom from the noise itself: keep an exponentially weighted mean of the load and of
its squared deviation, and size the fleet for the mean plus three standard deviations
plus the last step's rise, at 85 % utilisation. Scale in with a 20-minute cooldown, to
the size the last 20 minutes' peak needs.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

ALPHA = 0.3
TARGET = 0.85
HOLD = 4

_mean: float | None = None
_var = 0.0


def policy(observation: Any) -> int:
    global _mean, _var
    load = observation.load
    if _mean is None:
        _mean = load
    deviation = load - _mean
    _mean += ALPHA * deviation
    _var = (1 - ALPHA) * (_var + ALPHA * deviation * deviation)
    history = observation.history
    rise = max(0.0, load - history[-2]) if len(history) >= 2 else 0.0
    level = max(load, _mean) + 3 * math.sqrt(_var) + 2 * rise
    per = observation.per_instance_rps * TARGET
    want = max(observation.min_instances, math.ceil(level / per))
    have = observation.running + observation.booting
    if want > have:
        return want
    last = observation.last_change
    if last is None or observation.t - last >= HOLD:
        recent = max(observation.min_instances, math.ceil(max(history[-HOLD:]) * 1.25 / per))
        return min(have, recent)
    return have
