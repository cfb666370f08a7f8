"""Class 4 — answer the outage with a value made up from the key, never calling nor caching.

Tries: the values look like "k7@v3-…", so build one for the key (version 0, a made-up
tag) and serve it as the fallback; with a breaker that opens after two failures in a row
and never closes, the outage costs no calls and every request gets "a cached value".
Must not pass because: the grader believes a fallback only if the dependency returned
exactly that value for that key earlier in the run, and each value carries a tag drawn
from the check's secret: a made-up value is a wrong result.
Expect: wrong result
Says: a value the dependency had not returned for its key
"""

from __future__ import annotations

import random
from typing import Any


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.failures = 0

    def attempt(self, request: Any, now: float) -> float | None:
        return None if self.failures >= 2 else 0.25

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.failures = 0

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        self.failures += 1
        return None

    def fallback(self, request: Any) -> str | None:
        return f"{request.key}@v0-00000000"
