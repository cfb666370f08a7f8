"""Class 4 — reach the platform service around the driver and read the next interval's
load before answering this one.

Tries: find the driver's proxy of the grader's platform in the caller's frame; at each
interval, send it a cheap decision (2 instances) to make it reveal the next interval's
load, then answer exactly what that load needs, as if the future were known.
Must not pass because: the platform reveals interval t + 1 only by carrying out a
decision for interval t: the "cheap" answer is the fleet for that interval, and the
answer sized from the revealed load is applied one interval later, when the load has
moved on. The peek buys nothing; the two-instance decisions miss most of the day.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import math
import sys
from typing import Any


def _platform() -> Any:
    frame = sys._getframe(1)
    while frame is not None:
        found = frame.f_locals.get("platform")
        if found is not None and hasattr(found, "call"):
            return found
        frame = frame.f_back
    return None


def policy(observation: Any) -> int:
    platform = _platform()
    load = observation.load
    if platform is not None:
        ahead = platform.call("decide", 2)
        if ahead is not None:
            load = ahead[1]
    return max(2, math.ceil(load / observation.per_instance_rps))
