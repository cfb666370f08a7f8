"""A schedule with reactive tracking on top: on weekdays the floor rises ahead of the
morning ramp (from 06:00) and falls after the evening (from 21:00), so the ramp never
waits for a boot; on top of the floor, target tracking at 70 % with a 30-minute scale-in
hold catches what no schedule knows, the marketing spikes.

Expect: pass
"""

from __future__ import annotations

import math
from typing import Any

TARGET = 0.70
HOLD = 6
WEEKDAY_FLOOR = 14  # instances from 06:00 to 21:00, Monday to Friday


def floor(observation: Any) -> int:
    business = observation.day < 5 and 6 * 60 <= observation.minute < 21 * 60
    return WEEKDAY_FLOOR if business else observation.min_instances


def policy(observation: Any) -> int:
    per = observation.per_instance_rps * TARGET
    have = observation.running + observation.booting
    out = max(floor(observation), math.ceil(observation.load / per))
    if out > have:
        return out
    last = observation.last_change
    if last is None or observation.t - last >= HOLD:
        recent = math.ceil(max(observation.history[-HOLD:]) / per)
        return min(have, max(floor(observation), recent))
    return have
