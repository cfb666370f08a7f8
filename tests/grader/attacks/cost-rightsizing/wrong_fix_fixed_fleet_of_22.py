"""Wrong fix — the largest fixed fleet the cost bound allows: 22 instances all week
(44 % of the peak fleet's cost, under the 45 % bound), enough for the busiest weekday
hour with 60 % to spare.

Tries: rightsizing by arithmetic: the bound allows 22 instances, the weekday peak needs
14, so keep 22 and never flap.
Must not pass because: every spike lifts the load to 2,400-3,600 requests a second, more
than 22 instances carry, for 3-4 hours each. Over seeds 1-200, in process through the
lab's driver: it passes on none (6.1-8.0 % of intervals missed); on the lab's first week
it passed on none either, but the largest fixed fleet that week's 70 % bound allowed (34)
passed on 167 of 200 (see wrong_fix_fixed_fleet_of_34.py).
Expect: fail on slo_miss_pct
Says: The fleet did not grow for the spike on
"""

from __future__ import annotations

from typing import Any


def policy(observation: Any) -> int:
    return 22
