"""A client for the inventory service: every request calls it until it answers.

The grader calls these methods on a simulated clock (seconds); see the brief.
"""

from __future__ import annotations

import math
import random
from typing import Any

MAX_ATTEMPTS = 4


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def attempt(self, request: Any, now: float) -> float | None:
        """About to call the dependency for request: the call's timeout in seconds
        (math.inf for none), or None to answer with fallback(request) instead."""
        return math.inf

    def on_success(self, request: Any, now: float, value: str) -> None:
        """A call for request returned value at now."""

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        """A call for request failed at now (reason "error" or "timeout"): seconds to wait
        before the next attempt, or None to give up and answer with fallback(request)."""
        if request.attempts < MAX_ATTEMPTS:
            return 0.0
        return None

    def fallback(self, request: Any) -> str | None:
        """The answer when the dependency gives none: a value, or None for an error."""
        return None
