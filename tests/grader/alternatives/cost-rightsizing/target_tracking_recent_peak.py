"""Target tracking at 65 % utilisation with a slow scale-in: scale out at once to the
fleet that carries the last interval's load at the target; scale in only to the fleet
that would have carried the last half hour's peak, and only half an hour after the last
change. No trend, no schedule: the 35 % headroom alone covers the boot delay on the
morning ramp.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

TARGET = 0.65
HOLD = 6  # intervals


def fleet(load: float, observation: Any) -> int:
    per = observation.per_instance_rps * TARGET
    return max(observation.min_instances, math.ceil(load / per))


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    out = fleet(observation.load, observation)
    if out > have:
        return out
    last = observation.last_change
    if last is None or observation.t - last >= HOLD:
        return min(have, fleet(max(observation.history[-HOLD:]), observation))
    return have
