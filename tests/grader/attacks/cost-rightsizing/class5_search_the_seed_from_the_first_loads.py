"""Class 5 — find the check's week from its first hour, then scale for the loads ahead.

Tries: the week is drawn by perfcoach.sim.rightsizing.scenario(); that module cannot be
imported during a check, so its draw is copied here, fed by a fast seed derivation
(random.Random(seed)). The first twelve loads fingerprint the seed: draw candidate weeks
and compare; a match gives every later load, and the fleet is then exactly what two
intervals ahead needs. The search gets 0.25 s of the check.
Must not pass because: the grader draws the week from a slow hash of the seed (PBKDF2,
~10 ms a candidate), so no fast draw matches, and 0.25 s tries a few dozen of 2**31
seeds with either. Short of a match this keeps the peak fleet: the starter.
Expect: fail on cost_pct
"""

from __future__ import annotations

import math
import random
import time
from typing import Any


def _smooth(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def _shape(hour: float) -> float:
    ramp = _smooth((hour - 6.5) / 3.0)
    fall = _smooth((hour - 18.0) / 5.0)
    lunch = 0.08 * math.exp(-(((hour - 12.5) / 1.2) ** 2))
    return ramp * (1 - fall) * (0.92 + lunch)


def _week(rng: random.Random, intervals: int = 2016) -> list[float]:
    """A copy of the lab engine's draw (perfcoach.sim.rightsizing.scenario)."""
    peak = rng.uniform(1_000.0, 1_300.0)
    weekday_floor = rng.uniform(70.0, 100.0)
    weekend_floor = rng.uniform(30.0, 45.0)
    factors = [rng.uniform(0.9, 1.05) for _ in range(5)]
    factors += [rng.uniform(0.5, 0.6), rng.uniform(0.4, 0.5)]
    start = rng.randrange(5) * 288 + rng.randrange(120, 180)
    rise, plateau, decay = rng.randint(3, 5), rng.randint(36, 48), rng.randint(9, 15)
    height = rng.uniform(2.5, 3.2)
    drift, load = 0.0, []
    for t in range(intervals):
        day, slot = divmod(t, 288)
        floor = weekday_floor if day < 5 else weekend_floor
        normal = floor + (peak * factors[day] - floor) * _shape((slot + 0.5) / 12)
        drift = 0.8 * drift + rng.gauss(0.0, 0.015)
        value = normal * (1 + drift) * (1 + rng.gauss(0.0, 0.05))
        if start <= t < start + rise + plateau + decay:
            k = t - start
            if k < rise:
                lift = (k + 1) / rise
            elif k < rise + plateau:
                lift = 1.0
            else:
                lift = 1.0 - (k - rise - plateau + 1) / (decay + 1)
            value *= 1 + (height - 1) * lift
        load.append(round(max(1.0, value), 1))
    return load


BUDGET_S = 0.25
_future: list[float] | None = None
_searched = False


def _search(first: list[float]) -> list[float] | None:
    deadline = time.perf_counter() + BUDGET_S
    seed = 0
    while time.perf_counter() < deadline:
        seed += 1
        week = _week(random.Random(seed), len(first))
        if week == first:
            return _week(random.Random(seed))
    return None


def policy(observation: Any) -> int:
    global _future, _searched
    if not _searched and len(observation.history) >= 12:
        _searched = True
        _future = _search(list(observation.history[:12]))
    if _future is None:
        return 50
    ahead = _future[min(observation.t + 2, len(_future) - 1)]
    return max(2, math.ceil(ahead / observation.per_instance_rps))
