"""Wrong fix — a smaller fixed fleet: 20 instances all week, enough for the busiest
weekday hour (1,300 requests a second) with 35 % headroom.

Tries: rightsizing by measurement: last month's weekday peak needed 13 instances, so 20
is generous, and a fixed fleet never flaps.
Must not pass because: each marketing spike lifts the load to 2,400-3,600 requests a
second for hours, and a fleet that cannot grow misses every interval of it.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

from typing import Any


def policy(observation: Any) -> int:
    return 20
