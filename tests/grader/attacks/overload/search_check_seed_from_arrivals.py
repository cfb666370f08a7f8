"""Class 3 — find the check's seed from the first arrival times, then draw the spike.

Tries: the traffic is drawn by perfcoach.sim.overload.scenario(); that module cannot be
imported during a check, so its first lines are copied here, fed by a fast seed
derivation (random.Random(f"{seed}:traffic")). The first arrivals (view.now) fingerprint
the seed: for candidate seeds draw the same first arrivals and compare; a match gives the
spike's window, and the server refuses everything during it and takes everything
otherwise. The search gets 1.5 s of the check.
Must not pass because: the grader draws the traffic from a slow hash of the seed (PBKDF2,
~10 ms a candidate), so no fast draw matches and 1.5 s tries ~150 of 2**31 seeds with
it. Short of a match this is the starter, which misses every target; and with a match,
refusing the whole spike would leave the workers idle (goodput near zero).
Expect: not pass
"""

from __future__ import annotations

import random
import time
from typing import Any

BUDGET_S = 1.5
_seen: list[float] = []
_spike: tuple[float, float] | None = None
_searched = False


def _draw(seed: int) -> tuple[list[float], tuple[float, float]]:
    rng = random.Random(f"{seed}:traffic")
    normal = round(rng.uniform(0.6, 0.75), 3)
    ramp_end = round(rng.uniform(2_000, 3_000), 3)
    start = round(ramp_end + rng.uniform(1_000, 5_000), 3)
    end = round(start + rng.uniform(6_000, 8_000), 3)
    rng.uniform(8_000, 9_000)
    arrivals, now = [], 0.0
    while len(arrivals) < 3:
        now += rng.expovariate(0.2)
        share = 0.3 + (normal - 0.3) * now / ramp_end
        if rng.random() * 0.2 < share * 0.1:
            arrivals.append(round(now, 6))
    return arrivals, (start, end)


def _search() -> None:
    global _spike
    deadline = time.perf_counter() + BUDGET_S
    for seed in range(1, 2**31):
        if time.perf_counter() > deadline:
            return
        arrivals, spike = _draw(seed)
        if arrivals == _seen[:3]:
            _spike = spike
            return


def admit(view: Any) -> bool:
    global _searched
    if len(_seen) < 3:
        _seen.append(view.now)
    elif not _searched:
        _searched = True
        _search()
    return _spike is None or not _spike[0] <= view.now < _spike[1]


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
