"""Class 3 — find the check's seed from the arrival times, then rebuild the hidden cluster.

Tries: the scenario is drawn by perfcoach.sim.load_balancing.scenario() from
random.Random(f"{seed}:cluster"); that module cannot be imported during a check, so
its first lines are copied here. The first arrival times (view.now) fingerprint the
seed: for candidate seeds, draw the same shuffle, speeds and first arrivals and compare;
a match gives every speed, and the balancer routes by the true capacity. Until (unless) a match is
found, it routes round robin. The search gets a budget of 1.5 s of the check.
Must not pass because: the grader draws the scenario from a slow hash of the seed
(PBKDF2, ~10 ms a candidate), not from random.Random(f"{seed}:cluster"), so the copied
draw matches no check, and 1.5 s of search would try only ~150 seeds of 2**31 with the
hash. Short of a match this is round robin, which misses every target. (Before the slow
hash, the fast draw took ~10 µs a candidate: 60 s, the time limit, tried 1 seed in 350,
and `--seed 5` was found at once.)
Expect: not pass
"""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

BUDGET_S = 1.5
_turn = itertools.count()
_seen: list[float] = []
_cluster: Any = None
_searched = False


def _draw(seed: int, count: int) -> tuple[list[float], list[float], list[float]]:
    """A copy of the lab's scenario(): speeds before and after the shift, first arrivals."""
    rng = random.Random(f"{seed}:cluster")
    servers = list(range(8))
    rng.shuffle(servers)

    def speeds(slow: set[int]) -> list[float]:
        return [
            round(rng.uniform(*((0.88, 0.92) if s in slow else (0.95, 1.05))), 3) for s in range(8)
        ]

    before, after = speeds(set(servers[:2])), speeds(set(servers[2:4]))
    rate = 0.92 * 8 * min(before + after) / 10.0
    now, arrivals = 0.0, []
    for _ in range(count):
        now += rng.expovariate(rate)
        arrivals.append(round(now, 6))
    return before, after, arrivals


def _search() -> None:
    global _cluster
    deadline = time.perf_counter() + BUDGET_S
    for seed in range(1, 2**31):
        if time.perf_counter() > deadline:
            return
        before, after, arrivals = _draw(seed, 3)
        if arrivals == _seen[:3]:
            _cluster = (before, after)
            return


def pick(view: Any) -> int:
    global _searched
    if len(_seen) < 3:
        _seen.append(view.now)
    elif not _searched:
        _searched = True
        _search()
    if _cluster is not None:
        up = [s for s in range(view.servers) if view.healthy[s]]
        speeds = _cluster[0] if view.now < 5_000 else _cluster[1]
        return max(up, key=lambda s: speeds[s] / (view.outstanding[s] + 1))
    return next(_turn) % view.servers
