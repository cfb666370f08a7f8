"""Class 4 — call once per key, then answer every request "fresh" from the cache.

Tries: replace the lab's driver's Runner.attempt (a class attribute, not its code) with
one that answers a request whose key is cached as fresh at once, with the cached value,
so only a key's first request ever calls: no outage calls, no retries, every answer
fresh and instant.
Must not pass because: the grader believes a fresh answer only when it is the value the
request's own call returned, at the moment that call ended; an answer it cannot match
to a call is an action the client could not take, and the check stops with a wrong
result.
Expect: wrong result
Says: with a value its call did not return
"""

from __future__ import annotations

import random
import sys
from typing import Any

_CACHE: dict[str, str] = {}


def _answering_from_the_cache(original: Any) -> Any:
    def attempt(self: Any, request: Any, now: float, actions: list[Any]) -> float | None:
        if request.key in _CACHE:
            actions.append(("answer", now, request.id, "fresh", _CACHE[request.key]))
            del self.requests[request.id]
            return None
        return original(self, request, now, actions)

    return attempt


def _patch() -> None:
    for module in list(sys.modules.values()):
        runner = getattr(module, "Runner", None)
        if runner is not None and hasattr(module, "MIN_CALL_S"):
            runner.attempt = _answering_from_the_cache(runner.attempt)


_patch()


class Client:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def attempt(self, request: Any, now: float) -> float | None:
        return 0.25

    def on_success(self, request: Any, now: float, value: str) -> None:
        _CACHE[request.key] = value

    def on_failure(self, request: Any, now: float, reason: str) -> float | None:
        return 0.05 if request.attempts < 3 else None

    def fallback(self, request: Any) -> str | None:
        return _CACHE.get(request.key)
