"""Wrong fix — no circuit breaker: after six timeouts in a row, stop calling for 60 s.

Tries: an outage was said to last a minute, so go quiet for exactly that long from the
first of the timeouts that revealed it, answering from the cache, then carry on calling
as if nothing happened: no breaker state, no probes, the fewest calls of all.
Must not pass because: the outages last 20-35 s, 40-60 s and 65-90 s, in an order drawn
per check, so a fixed silence fits none of them: it runs on 25-40 s past the short
outage's end (stale answers for healthy requests), and it ends before the long one's, so
six more timeouts start another 60 s of silence that outlasts that outage by up to 50 s.
On 100 seeds of the engine this client passed none.
Expect: fail on success_pct
Says: no fixed wait fits them all
"""

from __future__ import annotations

import random
from typing import Any

TIMEOUT_S = 0.25
BASE_S = 0.05
CAP_S = 0.4
RETRY_RATIO = 0.1  # retries earned per request
RETRY_TOKENS = 10.0  # the most retries saved up
IN_A_ROW = 6  # timeouts in a row that mean the dependency is down
SIT_OUT_S = 60.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = RETRY_TOKENS
        self.cache: dict[str, str] = {}
        self.streak = 0
        self.streak_start = 0.0
        self.quiet_until = -1.0

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(RETRY_TOKENS, self.tokens + RETRY_RATIO)
        left = request.deadline - now
        if now < self.quiet_until or left <= 0.02:
            return None
        return min(TIMEOUT_S, left)

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        self.streak = 0

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        if reason == "timeout":
            if self.streak == 0:
                self.streak_start = now - TIMEOUT_S
            self.streak += 1
            if self.streak >= IN_A_ROW:
                self.quiet_until = self.streak_start + SIT_OUT_S
                self.streak = 0
        if now < self.quiet_until or self.tokens < 1:
            return None
        wait = self.rng.uniform(0, min(CAP_S, BASE_S * 2**request.attempts))
        if now + wait + 0.02 >= request.deadline:
            return None
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)
