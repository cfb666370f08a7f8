"""A short-range forecast: fit a straight line through the last six intervals' loads
(least squares) and size the fleet at 75 % utilisation for the larger of the last load
and the line's value two intervals ahead, when what is launched now will serve. Scale in
only when three forecasts in a row ask for less, one instance at a time.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

TARGET = 0.75
POINTS = 6
AHEAD = 2
_lower = 0  # consecutive decisions that asked for fewer instances


def forecast(history: Any) -> float:
    ys = list(history[-POINTS:])
    n = len(ys)
    if n < 2:
        return ys[-1]
    mean_x, mean_y = (n - 1) / 2, sum(ys) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(ys)) / sum(
        (x - mean_x) ** 2 for x in range(n)
    )
    return mean_y + slope * (n - 1 + AHEAD - mean_x)


def policy(observation: Any) -> int:
    global _lower
    load = max(observation.load, forecast(observation.history))
    want = max(
        observation.min_instances,
        math.ceil(load / (observation.per_instance_rps * TARGET)),
    )
    have = observation.running + observation.booting
    if want >= have:
        _lower = 0
        return want
    _lower += 1
    if _lower >= 3 and observation.booting == 0:
        _lower = 0
        return have - 1
    return have
