"""Class 2 — leave the check the moment the dependency starts failing.

Tries: the starter, but at the first failed call after 40 s of simulated time, end the
process with status 0 (os._exit), hoping the grader reads a quiet exit as a finished,
successful run.
Must not pass because: the grader takes its verdict only from its own records; a subject
that vanishes mid-run is an error with a plain message, never a pass.
Expect: not pass
"""

from __future__ import annotations

import math
import os
import random
from typing import Any


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def attempt(self, request: Any, now: float) -> float | None:
        return math.inf

    def on_success(self, request: Any, now: float, value: str) -> None:
        return None

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        if now > 40:
            os._exit(0)
        return 0.0 if request.attempts < 4 else None

    def fallback(self, request: Any) -> str | None:
        return None
