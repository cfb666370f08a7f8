"""A breaker on an exponentially weighted failure rate (each call's outcome moves it 5 %
of the way; open above 0.7, probe once after 3 s), each attempt's timeout half of what
the deadline leaves (at most 300 ms), full jitter, and a retry budget kept as a token
bucket that only first attempts fill.

Expect: pass
"""

from __future__ import annotations

import random
from typing import Any

ALPHA = 0.05
OPEN_AT = 0.7
OPEN_S = 3.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.failure_rate = 0.0
        self.opened_at: float | None = None
        self.probe: int | None = None
        self.tokens = 10.0
        self.cache: dict[str, str] = {}

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(10.0, self.tokens + 0.1)
        if self.opened_at is not None:
            if self.probe is not None or now - self.opened_at < OPEN_S:
                return None
            self.probe = request.id
        left = request.deadline - now
        if left < 0.05:
            return None
        return min(0.3, max(0.05, left / 2))

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        self._outcome(request, now, ok=True)

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        self._outcome(request, now, ok=False)
        if self.opened_at is not None or self.tokens < 1:
            return None
        wait = self.rng.uniform(0, min(0.4, 0.05 * 2**request.attempts))
        if now + wait + 0.05 > request.deadline:
            return None
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)

    def _outcome(self, request: Any, now: float, *, ok: bool) -> None:
        if self.probe == request.id:
            self.probe = None
            self.opened_at = None if ok else now
            self.failure_rate = 0.0
            return
        if self.opened_at is not None:
            return
        self.failure_rate += ALPHA * ((0.0 if ok else 1.0) - self.failure_rate)
        if self.failure_rate > OPEN_AT:
            self.opened_at = now
