"""A breaker that half-opens (5 s after it opened) with up to three probes and closes only
after three probe successes (resilience4j's permitted calls in the half-open state),
counting failures over the last 50 calls (open at 70 %, once it holds 30). Equal jitter:
half the backoff ceiling fixed, half drawn from the injected rng. The retry budget is a
token bucket.

Expect: pass
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"
PROBES = 3


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.state = CLOSED
        self.opened_at = 0.0
        self.probes_out = 0
        self.probe_successes = 0
        self.window: deque[bool] = deque(maxlen=50)
        self.tokens = 8.0
        self.cache: dict[str, str] = {}
        self.probing: set[int] = set()

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(8.0, self.tokens + 0.1)
        if self.state == OPEN and now - self.opened_at >= 5.0:
            self.state, self.probes_out, self.probe_successes = HALF_OPEN, 0, 0
        if self.state == OPEN:
            return None
        if self.state == HALF_OPEN:
            if self.probes_out >= PROBES:
                return None
            self.probes_out += 1
            self.probing.add(request.id)
        left = request.deadline - now
        return min(0.25, left) if left > 0.02 else None

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        if request.id in self.probing:
            self.probing.discard(request.id)
            self.probe_successes += 1
            if self.probe_successes >= PROBES:
                self.state = CLOSED
                self.window.clear()
            return
        if self.state == CLOSED:
            self.window.append(True)

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        if request.id in self.probing:
            self.probing.discard(request.id)
            self.state, self.opened_at = OPEN, now
            return None
        if self.state == CLOSED:
            self.window.append(False)
            if len(self.window) >= 30 and self.window.count(False) >= 0.7 * len(self.window):
                self.state, self.opened_at = OPEN, now
        if self.state != CLOSED or self.tokens < 1:
            return None
        ceiling = min(0.4, 0.05 * 2**request.attempts)
        wait = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if now + wait + 0.02 >= request.deadline:
            return None
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)
