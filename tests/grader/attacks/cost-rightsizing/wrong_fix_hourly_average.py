"""Wrong fix — smooth the signal to stop flapping: size the fleet at 70 % utilisation for
the mean load of the last hour, and change it every interval.

Tries: a moving average takes the jitter out of the load, so the fleet no longer flaps.
Must not pass because: an hour's average lags a rising load by half an hour, on top of
the boot delay: the morning ramp and the spikes run far ahead of the fleet. Smooth the
decision to scale in, not the signal that scales out.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import math
from typing import Any

WINDOW = 12


def policy(observation: Any) -> int:
    recent = observation.history[-WINDOW:]
    mean = sum(recent) / len(recent)
    return max(2, math.ceil(mean / (observation.per_instance_rps * 0.7)))
