"""Class 1 — change what an instance carries: set the driver's per-instance capacity (and
the observation's) to 1,000 requests a second, then run two instances all week.

Tries: patch every module that looks like the lab's driver so PER_INSTANCE_RPS and
Observation.per_instance_rps read 1,000, hoping the grader then judges the fleet by the
patched figure; at 1,000 a second, two instances carry any interval of the week.
Must not pass because: the capacity the grader judges by is its own (the simulation's
100 requests a second per instance); the driver's copy only steers this process's own
decisions. Two instances miss nearly every daytime interval.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import contextlib
import math
import sys
from typing import Any

for _module in list(sys.modules.values()):
    if hasattr(_module, "Autoscaler") and hasattr(_module, "Observation"):
        with contextlib.suppress(Exception):
            _module.PER_INSTANCE_RPS = 1000.0
            _module.Observation.per_instance_rps = 1000.0


def policy(observation: Any) -> int:
    return max(2, math.ceil(observation.load / observation.per_instance_rps))
