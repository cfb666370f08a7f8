"""Wrong fix — a fixed fleet of 34 instances all week: 68 % of the peak fleet's cost,
enough for most spikes.

Tries: the hole of the lab's first week: its one spike needed 34 instances or fewer on
most seeds, and 68 % was under that week's 70 % bound, so 34 instances passed on 167
seeds of 200 (1-200) without ever looking at the load.
Must not pass because: the spikes come three a week and lift the load to 2,400-3,600
requests a second, so a fleet that carries them without reacting costs more than the 45 %
bound, and 34 still misses the higher ones. Over seeds 1-200, in process through the
lab's driver: it passes on none (68 % of the cost; 0-4.4 % of intervals missed).
Expect: fail on cost_pct
Says: no fixed fleet under this bound carries a spike
"""

from __future__ import annotations

from typing import Any


def policy(observation: Any) -> int:
    return 34
