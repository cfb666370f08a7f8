"""Runs beside the learner's limiter.py: replays the traffic it is sent through a RateLimiter.

The traffic arrives as plain data made in the grader from the attempt's seed: the
clients' names, and for every request its time in ticks of 1/1024 s and the number of
the client that sent it. Each request becomes one `allow(client, now)` call, with `now`
a new float of seconds (exact: a multiple of 1/1024), as a gateway reads its clock. What
goes back is the decision for every request, one byte each, and the grader judges them
against its own reference replay: nothing here knows what the answers should be.

What only this process can see is which clients the limiter still holds, found two ways
after a replay: each client is a `ClientKey` (a str that can be weakly referenced), and
a key still alive is a client kept; and the objects reachable from the limiter and from
the learner's module are walked (gc.get_referents) for any str or bytes that contains a
client's name, so a limiter that keys its state by a copy (`f"rl:{client}"`,
`client.encode()`) is seen holding it too.
"""

from __future__ import annotations

import contextlib
import gc
import re
import weakref
from collections import deque
from types import FunctionType, ModuleType
from typing import Any

from perfcoach.driverkit import Keep

SECONDS_PER_TICK = 1 / 1024
NAME = re.compile(r"key-[0-9a-f]{12}")  # what the grader's client names look like
NAME_BYTES = re.compile(rb"key-[0-9a-f]{12}")
ATOMS = (int, float, complex, bool, type(None))


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
    held = names_held((limiter, module), module)
    kept = [number for number, ref in enumerate(refs) if ref() is not None or names[number] in held]
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


def names_held(roots: tuple[Any, ...], module: ModuleType) -> set[str]:
    """Every client name found in a str or bytes reachable from roots (the limiter and the
    learner's module) through containers, instance attributes (__dict__ and __slots__)
    and the closures of the learner's own functions. Other modules, and classes and
    functions defined elsewhere, are not walked: a limiter's state lives in what it owns."""
    own = module.__name__
    seen: set[int] = set()
    found: set[str] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, ATOMS):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.update(NAME.findall(obj))
        elif isinstance(obj, bytes | bytearray | memoryview):
            found.update(m.decode() for m in NAME_BYTES.findall(bytes(obj)))
        elif not _foreign(obj, module, own):
            stack.extend(_children(obj, module))
    return found


def _foreign(obj: Any, module: ModuleType, own: str) -> bool:
    """Another module, or a class or function defined in one: not the limiter's state."""
    if isinstance(obj, ModuleType):
        return obj is not module
    return isinstance(obj, type | FunctionType) and getattr(obj, "__module__", own) != own


def _children(obj: Any, module: ModuleType) -> list[Any]:
    """What obj holds, read with the built-in types' own methods (never the learner's)."""
    if obj is module:
        return list(dict.values(vars(module)))
    if isinstance(obj, dict):
        return [*dict.keys(obj), *dict.values(obj)]
    if isinstance(obj, list | tuple | set | frozenset | deque):
        return list(obj)
    if isinstance(obj, FunctionType):
        cells = obj.__closure__ or ()
        return [c.cell_contents for c in cells if _filled(c)] + list(obj.__defaults__ or ())
    out: list[Any] = []
    with contextlib.suppress(AttributeError):
        out.append(object.__getattribute__(obj, "__dict__"))
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            with contextlib.suppress(AttributeError, TypeError):
                out.append(object.__getattribute__(obj, name))
    return out


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True
