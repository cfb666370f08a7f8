"""Wrong fix — a schedule sized for the largest spike the brief allows: 42 instances
(3,600 requests a second with 15 % to spare) on weekdays from 08:00 to 20:00, the daily
curve's fleet at every other hour, and no look at the load.

Tries: spike capacity where it is cheapest (the weekday day, when the fleet is large
anyway), so it stays under the cost bound, never flaps and never waits for a boot.
Must not pass because: the spikes come at any hour of any day, three a week; a schedule
holds spike capacity only for the hours it can afford (here 60 of 168), and a spike at
night or at the weekend finds 3-18 instances. Over seeds 1-200, in process through the
lab's driver: it passes on 2 (0.3-8.9 % of intervals missed, 40 % of the cost); on the
lab's first week (one spike, on a weekday between 10:00 and 15:00) it passed on all 200.
Expect: fail on slo_miss_pct
Says: The fleet did not grow for the spike on
"""

from __future__ import annotations

from typing import Any

SPIKE = 42  # the largest spike the brief allows, 3,600 requests a second, with 15 % spare


def policy(observation: Any) -> int:
    hour = observation.minute / 60
    if observation.day < 5:
        if 8 <= hour < 20:
            return SPIKE
        if 6.5 <= hour < 8 or 20 <= hour < 23:
            return 18
        return 3
    return 10 if 8 <= hour < 22 else 3
