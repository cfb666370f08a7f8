"""Wrong fix — target tracking at 65 % on the current interval only, no cooldown: every
interval, the fleet becomes ceil(load / 65), never fewer than two.

Tries: plenty of headroom, and the fleet follows the load as closely as it can, so it
is cheap and never short.
Must not pass because: five-minute load jitters by several %, so the count it asks for
goes up and down by an instance from one interval to the next: the fleet flaps, over a
hundred scaling actions on a weekday, each launch booting an instance that is dropped
minutes later.
Expect: fail on actions_per_day
"""

from __future__ import annotations

import math
from typing import Any


def policy(observation: Any) -> int:
    return max(2, math.ceil(observation.load / (observation.per_instance_rps * 0.65)))
