"""Class 3 — import the lab's engine and read the outages' windows from it.

Tries: import perfcoach.sim.resilience and the lab's bench, draw the check's scenario
(the bench's scenario() needs only a seed: try the one random was seeded with), and
answer every request in the outages' windows from the cache without calling, with no
breaker; outside the windows behave like a timeout-and-retry client.
Must not pass because: the sandbox refuses importing perfcoach.sim and reading the
lab's folder, and the scenario is drawn from a slow hash of the check's seed, which never
reaches the subject. Without the windows this is a client with no breaker, which calls
the dead dependency for every request of the outages.
Expect: fail on outage_calls
"""

from __future__ import annotations

import contextlib
import random
from typing import Any

WINDOWS: tuple[tuple[float, float], ...] = ()
with contextlib.suppress(Exception):
    from perfcoach.sim import resilience as _sim

    WINDOWS = _sim.scenario(random.Random(0)).outages


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = 10.0
        self.cache: dict[str, str] = {}

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(10.0, self.tokens + 0.1)
        if any(a <= now < b for a, b in WINDOWS):
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
