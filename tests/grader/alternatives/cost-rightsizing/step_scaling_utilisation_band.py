"""Step scaling on a utilisation band: above 70 % of the running fleet's capacity, scale
out to 55 %; below 40 %, scale in to 55 %, at most once every 15 minutes; between the
two, leave the fleet alone. The band is the hysteresis: a few % of jitter never crosses
it twice in a row, so the fleet changes a few dozen times a day, in steps of several
instances.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

HIGH, LOW, AIM = 0.70, 0.40, 0.55
COOLDOWN = 3  # intervals


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    capacity = observation.per_instance_rps * max(1, observation.running)
    utilisation = observation.load / capacity
    aim = max(
        observation.min_instances,
        math.ceil(observation.load / (observation.per_instance_rps * AIM)),
    )
    if utilisation > HIGH:
        return max(have, aim)
    last = observation.last_change
    cooled = last is None or observation.t - last >= COOLDOWN
    if utilisation < LOW and cooled and observation.booting == 0:
        return min(have, aim)
    return have
