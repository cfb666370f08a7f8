"""Class 3 — find the check's seed from the first fan-out, then draw the outages' windows.

Tries: the scenario is drawn by perfcoach.sim.resilience.scenario(); that module cannot
be imported during a check, so its draws are copied here, fed by a fast seed derivation
(random.Random(seed)). The first fan-out (its time and its 8 keys) fingerprints the
seed: for candidate seeds, draw the same first fan-out and compare; a match gives the
outages' windows, and the client answers every request in them from its cache without
calling, with no breaker. The search gets 0.3 s of the check (~10,000-20,000 fast candidates).
Must not pass because: the grader draws the scenario from a slow hash of the seed
(PBKDF2, ~10 ms a candidate), so no fast draw matches. Short of a match this is a client
with no breaker, which calls the dead dependency for every request of the outages.
Expect: fail on outage_calls
"""

from __future__ import annotations

import random
import time
from typing import Any


def _draw(seed: int) -> tuple[list[tuple[float, float]], float, list[int]]:
    """The engine's first draws for a seed: the outages, then the first fan-out."""
    rng = random.Random(seed)
    lengths = [round(rng.uniform(lo, hi), 3) for lo, hi in ((20, 35), (40, 60), (65, 90))]
    rng.shuffle(lengths)
    windows = []
    start = round(rng.uniform(55.0, 65.0), 3)
    for length in lengths:
        windows.append((start, start + length))
        start = round(start + length + 10.0 + rng.uniform(20.0, 30.0), 3)
    after = windows[-1][1] + 10.0
    rng.sample(range(24), 6)
    for lo, hi, length in ((5.0, 16.0, 5.0), (42.0, 53.0, 5.0), (after + 2, after + 12, 5.0)):
        rng.uniform(lo, hi - length)
    for lo, hi, length in ((20.0, 38.0, 10.0), (after + 14, after + 28, 10.0)):
        rng.uniform(lo, hi - length)
    first = round(rng.uniform(0.0, 1.0), 3)
    return windows, first, rng.sample(range(24), 8)


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = 10.0
        self.cache: dict[str, str] = {}
        self.first: list[int] = []
        self.first_at: float | None = None
        self.windows: list[tuple[float, float]] = []
        self.searched = False

    def _search(self) -> None:
        self.searched = True
        until = time.monotonic() + 0.3
        seed = 0
        while time.monotonic() < until:
            windows, at, keys = _draw(seed)
            if at == self.first_at and keys == self.first:
                self.windows = windows
                return
            seed += 1

    def attempt(self, request: Any, now: float) -> float | None:
        if self.first_at is None:
            self.first_at = now
        if now == self.first_at and request.attempts == 0:
            self.first.append(int(request.key[1:]))
        elif not self.searched:
            self._search()
        if request.attempts == 0:
            self.tokens = min(10.0, self.tokens + 0.1)
        if any(a <= now < b for a, b in self.windows):
            return None
        left = request.deadline - now
        return min(0.25, left) if left > 0.02 else None

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        if self.tokens < 1:
            return None
        wait = self.rng.uniform(0, min(0.4, 0.05 * 2**request.attempts))
        if now + wait + 0.02 >= request.deadline:
            return None
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)
