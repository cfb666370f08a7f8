"""Wrong fix — one cooldown for every action ("simple scaling"): target tracking at 65 %
on the last load, but no change of any kind within an hour of the last one.

Tries: a cooldown is what stops flapping, so apply a long one to everything.
Must not pass because: after each change the fleet cannot grow for an hour, and the
morning ramp and the spikes outrun it in that time; scale out at once, and hold only the
scale-in.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import math
from typing import Any

COOLDOWN = 12


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    last = observation.last_change
    if last is not None and observation.t - last < COOLDOWN:
        return have
    return max(2, math.ceil(observation.load / (observation.per_instance_rps * 0.65)))
