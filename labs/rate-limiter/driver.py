"""Runs beside the learner's limiter.py: replays the traffic it is sent through a RateLimiter.

The traffic arrives as plain data made in the grader from the attempt's seed: the
clients' names, and for every request its time in ticks of 1/1024 s and the number of
the client that sent it. Each request becomes one `allow(client, now)` call, with `now`
a new float of seconds (exact: a multiple of 1/1024), as a gateway reads its clock. What
goes back is the decision for every request, one byte each, and the grader judges them
against its own reference replay: nothing here knows what the answers should be.

Nothing here inspects the limiter: whether it forgets idle clients is judged from its
memory as clients come and go (measured by the harness's tracemalloc, out of this
module's reach), not from what a walk of its objects finds.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from perfcoach.driverkit import Keep

SECONDS_PER_TICK = 1 / 1024


def _limiter(module: ModuleType, rate: float, burst: int, idle_ttl: float) -> Any:
    return module.RateLimiter(rate, burst, idle_ttl)


def decide(
    module: ModuleType,
    rate: float,
    burst: int,
    idle_ttl: float,
    names: list[str],
    ticks: list[int],
    who: list[int],
) -> bytes:
    """A new limiter through every request: one byte per request, 1 if it was allowed."""
    allow = _limiter(module, rate, burst, idle_ttl).allow
    out = bytearray(len(ticks))
    for index, tick in enumerate(ticks):
        if allow(names[who[index]], tick * SECONDS_PER_TICK):
            out[index] = 1
    return bytes(out)


def buffer(module: ModuleType, size: int, names: list[str]) -> Keep:
    """Room for a replay's decisions, and its clients' names interned, made before the
    memory is measured: a limiter that interns the names it keys by (sys.intern) then adds
    nothing to the interpreter's table of interned strings, which would otherwise grow with
    every name this replay holds alive, not with what the limiter keeps."""
    return Keep((bytearray(size), [sys.intern(name) for name in names]))


def absorb(
    module: ModuleType,
    kept: tuple[bytearray, list[str]],
    rate: float,
    burst: int,
    idle_ttl: float,
    ticks: list[int],
    who: list[int],
) -> None:
    """decide(), writing into the buffer made beforehand: the grader measures this call's
    memory, so nothing here but the limiter grows with the traffic."""
    out, names = kept
    allow = _limiter(module, rate, burst, idle_ttl).allow
    for index, tick in enumerate(ticks):
        if allow(names[who[index]], tick * SECONDS_PER_TICK):
            out[index] = 1


def take(module: ModuleType, kept: tuple[bytearray, list[str]]) -> bytes:
    """The decisions absorb() wrote."""
    return bytes(kept[0])


def nothing(module: ModuleType) -> None:
    """Runs no lab code: what the harness itself allocates for a call."""
