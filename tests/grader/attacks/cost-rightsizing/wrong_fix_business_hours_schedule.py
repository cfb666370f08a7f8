"""Wrong fix — scheduled scaling only: 24 instances on weekdays from 06:30 to 21:00,
12 on weekend days, 3 at night, with no reaction to the load.

Tries: the load follows the clock, so a schedule that follows it too is cheap, never
flaps and is ready before the morning ramp.
Must not pass because: a schedule knows only what repeats; the marketing spikes come on
days and at hours it does not know, at 2,400-3,600 requests a second.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

from typing import Any


def policy(observation: Any) -> int:
    if 6 * 60 + 30 <= observation.minute < 21 * 60:
        return 24 if observation.day < 5 else 12
    return 3
