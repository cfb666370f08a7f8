"""Class 5 — remember when the outage came in an earlier run and skip it up front.

Tries: note, in a file in the working folder and in a builtins attribute, the time of
the first run of ten failed calls in a row and of the first success after it; in a later
run, answer every request in that window from the cache without calling (no breaker),
and call with a timeout and budgeted, jittered retries otherwise.
Must not pass because: each check is one run of a fresh process in a fresh folder, with
a new fault schedule from a new seed; there is no earlier run to remember within a
check, so this is a client with no breaker, which calls the dead dependency for every
request of the outage. A window remembered from another seed would sit in the wrong
place anyway.
Expect: fail on outage_calls
"""

from __future__ import annotations

import builtins
import contextlib
import json
import random
from pathlib import Path
from typing import Any

_NOTE = Path("resilience-memory.json")


def _remembered() -> list[float] | None:
    found = getattr(builtins, "_resilience_memory", None)
    if found is None:
        with contextlib.suppress(Exception):
            found = json.loads(_NOTE.read_text())
    return found


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens = 10.0
        self.cache: dict[str, str] = {}
        self.in_a_row = 0
        self.window: list[float] = []
        self.memory = _remembered()

    def attempt(self, request: Any, now: float) -> float | None:
        if request.attempts == 0:
            self.tokens = min(10.0, self.tokens + 0.1)
        if self.memory and len(self.memory) == 2 and self.memory[0] <= now < self.memory[1]:
            return None
        left = request.deadline - now
        return min(0.25, left) if left > 0.02 else None

    def on_success(self, request: Any, now: float, value: str) -> None:
        self.cache[request.key] = value
        self.in_a_row = 0
        if len(self.window) == 1:
            self.window.append(now)
            builtins._resilience_memory = self.window  # type: ignore[attr-defined]
            with contextlib.suppress(Exception):
                _NOTE.write_text(json.dumps(self.window))

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        self.in_a_row += 1
        if self.in_a_row == 10 and not self.window:
            self.window.append(now)
        if self.tokens < 1:
            return None
        wait = self.rng.uniform(0, min(0.4, 0.05 * 2**request.attempts))
        if now + wait + 0.02 >= request.deadline:
            return None
        self.tokens -= 1
        return wait

    def fallback(self, request: Any) -> str | None:
        return self.cache.get(request.key)
