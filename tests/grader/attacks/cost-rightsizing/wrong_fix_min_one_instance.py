"""Wrong fix — target tracking with a slow scale-in, but down to one instance when the
load allows it (weekend nights carry 30-45 requests a second).

Tries: one instance carries the night's load with room to spare, so the second is money
for nothing.
Must not pass because: one instance is a single point of failure: when it crashes or is
replaced nothing serves. The floor is two, whatever the load.
Expect: fail on min_instances
"""

from __future__ import annotations

import math
from typing import Any

TARGET = 0.6
HOLD = 6


def fleet(load: float, observation: Any) -> int:
    return max(1, math.ceil(load / (observation.per_instance_rps * TARGET)))


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    out = fleet(observation.load, observation)
    if out > have:
        return out
    last = observation.last_change
    if last is None or observation.t - last >= HOLD:
        return min(have, fleet(max(observation.history[-HOLD:]), observation))
    return have
