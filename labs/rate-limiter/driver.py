"""Runs beside the learner's limiter.py: replays the traffic it is sent through a RateLimiter.

The traffic arrives as plain data made in the grader from the attempt's seed: the
clients' names, and for every request its time in ticks of 1/1024 s and the number of
the client that sent it. Each request becomes one `allow(client, now)` call, with `now`
a new float of seconds (exact: a multiple of 1/1024), as a gateway reads its clock. What
goes back is the decision for every request, one byte each, and the grader judges them
against its own reference replay: nothing here knows what the answers should be.

What only this process can see is which clients the limiter still holds: each client is
a `ClientKey` (a str that can be weakly referenced), so after a replay the clients whose
key is still alive are the ones the limiter kept.
"""

from __future__ import annotations

import gc
import weakref
from types import ModuleType
from typing import Any

from perfcoach.driverkit import Keep

SECONDS_PER_TICK = 1 / 1024


class ClientKey(str):
    """A client's name: a str in every way, that the driver can also reference weakly."""


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


def replay_kept(
    module: ModuleType,
    rate: float,
    burst: int,
    idle_ttl: float,
    names: list[str],
    ticks: list[int],
    who: list[int],
) -> tuple[bytes, list[int]]:
    """decide(), with every client a ClientKey: the decisions, and the numbers of the
    clients whose key the limiter still holds once the last request is decided."""
    keys = [ClientKey(name) for name in names]
    refs = [weakref.ref(key) for key in keys]
    limiter = _limiter(module, rate, burst, idle_ttl)
    allow = limiter.allow
    out = bytearray(len(ticks))
    for index, tick in enumerate(ticks):
        if allow(keys[who[index]], tick * SECONDS_PER_TICK):
            out[index] = 1
    del keys, allow
    gc.collect()  # a client dropped inside a reference cycle is gone all the same
    kept = [number for number, ref in enumerate(refs) if ref() is not None]
    del limiter
    return bytes(out), kept


def buffer(module: ModuleType, size: int) -> Keep:
    """Room for a replay's decisions, made before the memory is measured."""
    return Keep(bytearray(size))


def absorb(
    module: ModuleType,
    out: bytearray,
    rate: float,
    burst: int,
    idle_ttl: float,
    names: list[str],
    ticks: list[int],
    who: list[int],
) -> None:
    """decide(), writing into a buffer made beforehand: the grader measures this call's
    memory, so nothing here but the limiter grows with the traffic."""
    allow = _limiter(module, rate, burst, idle_ttl).allow
    for index, tick in enumerate(ticks):
        if allow(names[who[index]], tick * SECONDS_PER_TICK):
            out[index] = 1


def take(module: ModuleType, out: bytearray) -> bytes:
    """The decisions absorb() wrote."""
    return bytes(out)


def nothing(module: ModuleType) -> None:
    """Runs no lab code: what the harness itself allocates for a call."""
