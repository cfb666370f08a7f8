"""The web tier's autoscaler: target tracking with headroom, a trend, and a slow scale-in.

Scale out at once: size the fleet for a target utilisation of 60 % of where the load is
going, the last interval's load plus its rise over the last two intervals, at most half
the load again (an instance launched now serves only after it boots through the next
interval, so the fleet must be ready two intervals ahead). The 40 % headroom carries the
five-minute jitter and most of a ramp; the trend carries the rest of the morning ramp and
the first steps of a spike.

Scale in slowly: only when the last 30 minutes' peak would still fit a smaller fleet at
the target, only 30 minutes after the last change, and never while instances boot. That
hysteresis is what keeps the jitter from flapping the fleet up and down. Never fewer than
two instances: one is a single point of failure.
"""

from __future__ import annotations

import math
from typing import Any

TARGET = 0.6  # utilisation the fleet is sized for
COOLDOWN = 6  # intervals (30 minutes) after a change before a scale-in
WINDOW = 6  # intervals whose peak a smaller fleet must still carry
FLOOR = 2


def fleet_for(load: float, per_instance: float) -> int:
    """Instances that carry load at the target utilisation, never fewer than FLOOR."""
    return max(FLOOR, math.ceil(load / (per_instance * TARGET)))


def policy(observation: Any) -> int:
    """Out at once on the projected load, in slowly on the recent peak."""
    history = observation.history
    have = observation.running + observation.booting
    rise = max(0.0, observation.load - history[-3]) if len(history) >= 3 else 0.0
    rise = min(rise, observation.load / 2)
    out = fleet_for(observation.load + rise, observation.per_instance_rps)
    if out > have:
        return out
    last = observation.last_change
    cooled = last is None or observation.t - last >= COOLDOWN
    if cooled and observation.booting == 0:
        recent = fleet_for(max(history[-WINDOW:]), observation.per_instance_rps)
        if recent < have:
            return recent
    return have
