"""Wrong fix — scale out on the load at 65 % utilisation, never scale in: a fleet that
only grows cannot flap and is never short.

Tries: no scale-in, no flapping, no misses; the fleet grows only when the load needs
it.
Must not pass because: the fleet it takes over on Monday at 00:00 is the fixed peak
fleet, so it never gets smaller than the starter's; capacity must follow the load down
as well as up.
Expect: fail on cost_pct
"""

from __future__ import annotations

import math
from typing import Any


def policy(observation: Any) -> int:
    have = observation.running + observation.booting
    return max(have, 2, math.ceil(observation.load / (observation.per_instance_rps * 0.65)))
