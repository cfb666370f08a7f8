"""Class 1 — change the lab's driver so that a batch runs on past the calls it starts.

Tries: find driver.py's module in sys.modules and set its MIN_CALL_S (how long after a
call the driver stops a batch) to an hour, so a whole batch of arrivals is handled at
once, each call's result assumed to be a success; the client answers every request with
a fresh value from its cache the moment it arrives, calling only to fill the cache.
Must not pass because: the grader replays the actions on its own dependency: a batch
that reports events handled past the end of a call it started (a result the client
could not have known) is an action the client could not take, and the check stops with
a wrong result. And an answer marked fresh must be the value its own call returned.
Expect: wrong result
"""

from __future__ import annotations

import random
import sys
from typing import Any

for _module in list(sys.modules.values()):
    if hasattr(_module, "Runner") and hasattr(_module, "MIN_CALL_S"):
        _module.MIN_CALL_S = 3600.0


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.cache: dict[str, str] = {}

    def attempt(self, request: Any, now: float) -> float | None:
        return 0.25

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        return None

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)
