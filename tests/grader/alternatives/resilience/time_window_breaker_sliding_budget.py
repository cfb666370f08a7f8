"""A breaker on the failure rate of the last 5 s of calls (Hystrix's rolling window:
open at 75 % once it holds at least 20 calls, probe after 5 s) and a retry budget kept as
a sliding window: retries in the last 10 s at most 10 % of the requests in it, plus 5.
Full jitter; each attempt's timeout is what the deadline leaves, at most 300 ms.

Expect: pass
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

WINDOW_S = 5.0  # the breaker's
BUDGET_WINDOW_S = 10.0
OPEN_S = 5.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.outcomes: deque[tuple[float, bool]] = deque()
        self.requests: deque[float] = deque()
        self.retries: deque[float] = deque()
        self.opened_at: float | None = None
        self.probe_out = False
        self.cache: dict[str, str] = {}

    def _trim(self, now: float) -> None:
        while self.outcomes and self.outcomes[0][0] < now - WINDOW_S:
            self.outcomes.popleft()
        for window in (self.requests, self.retries):
            while window and window[0] < now - BUDGET_WINDOW_S:
                window.popleft()

    def attempt(self, request: Any, now: float) -> float | None:
        self._trim(now)
        if request.attempts == 0:
            self.requests.append(now)
        if self.opened_at is not None:
            if self.probe_out or now - self.opened_at < OPEN_S:
                return None
            self.probe_out = True
        left = request.deadline - now
        return min(0.3, left) if left > 0.05 else None

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        self._record(now, True)

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        self._record(now, False)
        self._trim(now)
        if self.opened_at is not None or len(self.retries) >= 5 + 0.1 * len(self.requests):
            return None
        wait = self.rng.uniform(0, min(0.5, 0.04 * 2**request.attempts))
        if now + wait + 0.05 > request.deadline:
            return None
        self.retries.append(now)
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)

    def _record(self, now: float, ok: bool) -> None:
        if self.probe_out:
            self.probe_out = False
            self.opened_at = None if ok else now
            self.outcomes.clear()
            return
        if self.opened_at is not None:
            return
        self.outcomes.append((now, ok))
        self._trim(now)
        failed = sum(1 for _, good in self.outcomes if not good)
        if len(self.outcomes) >= 20 and failed >= 0.75 * len(self.outcomes):
            self.opened_at = now
