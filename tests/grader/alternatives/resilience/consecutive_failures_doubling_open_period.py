"""A breaker on consecutive failures whose open period doubles after each failed probe
(resilience4j's exponential wait in the open state), decorrelated jitter (AWS's
"decorrelated" variant: each wait drawn between the base and three times the last one,
capped) and a retry budget kept as a token bucket.

Expect: pass
"""

from __future__ import annotations

import random
from typing import Any

TIMEOUT_S = 0.3
BASE_S = 0.03
CAP_S = 0.3
TRIP_AFTER = 20  # consecutive failures
FIRST_OPEN_S = 2.0
LONGEST_OPEN_S = 8.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = 10.0
        self.failures_in_a_row = 0
        self.open_until: float | None = None
        self.open_for = FIRST_OPEN_S
        self.probe_out = False
        self.last_wait: dict[int, float] = {}
        self.cache: dict[str, str] = {}

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(10.0, self.tokens + 0.1)
        if self.open_until is not None:
            if self.probe_out or now < self.open_until:
                return None
            self.probe_out = True
        left = request.deadline - now
        return min(TIMEOUT_S, left) if left > 0.03 else None

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        self.failures_in_a_row = 0
        if self.probe_out:
            self.probe_out = False
            self.open_until = None
            self.open_for = FIRST_OPEN_S

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        if self.probe_out:
            self.probe_out = False
            self.open_for = min(LONGEST_OPEN_S, self.open_for * 2)
            self.open_until = now + self.open_for
            return None
        self.failures_in_a_row += 1
        if self.open_until is None and self.failures_in_a_row >= TRIP_AFTER:
            self.open_until = now + self.open_for
        if self.open_until is not None or self.tokens < 1:
            return None
        last = self.last_wait.get(request.id, BASE_S)
        wait = min(CAP_S, self.rng.uniform(BASE_S, last * 3))
        if now + wait + 0.03 >= request.deadline:
            return None
        self.last_wait[request.id] = wait
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        self.last_wait.pop(request.id, None)
        return self.cache.get(request.key)
