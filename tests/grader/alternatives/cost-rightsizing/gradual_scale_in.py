"""Target tracking the way EC2 Auto Scaling documents it: scale out in proportion to the
metric, as fast as needed (to 65 % utilisation on the last load); scale in gradually, by
at most 10 % of the fleet (at least one instance) every 15 minutes, and only when the
last three readings all ask for less.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

TARGET = 0.65
COOLDOWN = 3


def need(load: float, observation: Any) -> int:
    return max(
        observation.min_instances,
        math.ceil(load / (observation.per_instance_rps * TARGET)),
    )


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    out = need(observation.load, observation)
    if out > have:
        return out
    last = observation.last_change
    cooled = last is None or observation.t - last >= COOLDOWN
    recent = need(max(observation.history[-3:]), observation)
    if cooled and recent < have:
        step = max(1, have // 10)
        return max(recent, have - step)
    return have
