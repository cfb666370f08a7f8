"""Wrong fix — size the fleet for exactly the load just seen: ceil(load / 100) instances,
never fewer than two, with a 30-minute hold before a scale-in so it does not flap.

Tries: the textbook "utilisation 100 %" fleet: every instance carries its full 100
requests a second, nothing is paid for idle capacity.
Must not pass because: an instance launched now serves only after it boots through the
next interval, so the fleet is always sized for load ten minutes old; every rising
interval (the morning ramps, the spikes, half of the jitter) outruns it.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import math
from typing import Any

HOLD = 6


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    want = max(2, math.ceil(observation.load / observation.per_instance_rps))
    if want > have:
        return want
    last = observation.last_change
    if last is None or observation.t - last >= HOLD:
        return want
    return have
