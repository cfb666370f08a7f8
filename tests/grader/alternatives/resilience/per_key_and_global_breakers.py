"""A breaker per key beside the global one (a bad shard fails only its keys): a key whose
last three calls failed with an error is answered from the cache for 1 s, then one call
goes through; the global breaker, the budget, full jitter and the timeout are the
reference's. Written by a tester as an alternative the brief should accept.

Expect: pass
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

TIMEOUT_S = 0.25
BASE_S = 0.05
CAP_S = 0.4
RETRY_RATIO = 0.1  # retries earned per request
RETRY_TOKENS = 10.0  # the most retries saved up
WINDOW = 40  # calls the global breaker looks back on
FAILURE_RATE = 0.75
MIN_CALLS = 20
OPEN_S = 5.0
KEY_ERRORS = 3  # errors in a row that open a key's breaker
KEY_OPEN_S = 1.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = RETRY_TOKENS
        self.recent: deque[bool] = deque(maxlen=WINDOW)
        self.opened_at: float | None = None
        self.probing = False
        self.cache: dict[str, str] = {}
        self.key_errors: dict[str, int] = {}
        self.key_open_until: dict[str, float] = {}

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(RETRY_TOKENS, self.tokens + RETRY_RATIO)
        key = request.key
        if key in self.cache and now < self.key_open_until.get(key, -1.0):
            return None
        left = request.deadline - now
        if left <= 0.02:
            return None
        if self.opened_at is not None:
            if self.probing or now - self.opened_at < OPEN_S:
                return None
            self.probing = True  # half-open: this call is the probe
        return min(TIMEOUT_S, left)

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        self.key_errors[request.key] = 0
        self.record(True, now)

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        if reason == "error":
            errors = self.key_errors.get(request.key, 0) + 1
            self.key_errors[request.key] = errors
            if errors >= KEY_ERRORS:
                self.key_open_until[request.key] = now + KEY_OPEN_S
        self.record(False, now)
        if self.opened_at is not None or self.tokens < 1:
            return None
        wait = self.rng.uniform(0, min(CAP_S, BASE_S * 2**request.attempts))
        if now + wait + 0.02 >= request.deadline:
            return None
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)

    def record(self, ok: bool, now: float) -> None:
        if self.probing:
            self.probing = False
            self.opened_at = None if ok else now
            self.recent.clear()
            return
        if self.opened_at is not None:
            return
        self.recent.append(ok)
        failures = self.recent.count(False)
        if len(self.recent) >= MIN_CALLS and failures >= FAILURE_RATE * len(self.recent):
            self.opened_at = now
