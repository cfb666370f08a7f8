"""Wrong fix — the reference's breaker with a 30 s open period.

Tries: a breaker that stays open half a minute sends a sixth of the probes of a 5 s one,
and an outage of a minute or so ends near one of its probes.
Must not pass because: a breaker hears of the recovery only from a probe, so after an
outage ends it keeps answering from the cache until its next probe, up to 30 s later.
The outages last 20-35 s, 40-60 s and 65-90 s, in an order drawn per check, and a period
fitted to one of them misses the others: on 100 seeds of the engine this client noticed
all three recoveries within the 10 s allowance on 7.
Expect: fail on success_pct
Says: Its calls during the outage came too far apart
Says: no fixed wait fits them all
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
WINDOW = 40  # calls the breaker looks back on
FAILURE_RATE = 0.75
MIN_CALLS = 20
OPEN_S = 30.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = RETRY_TOKENS
        self.recent: deque[bool] = deque(maxlen=WINDOW)
        self.opened_at: float | None = None
        self.probing = False
        self.cache: dict[str, str] = {}

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(RETRY_TOKENS, self.tokens + RETRY_RATIO)
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
        self.record(True, now)

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
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
