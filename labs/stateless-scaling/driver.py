"""Runs in each app instance, beside the learner's cart_service.py: serves one request.

Every instance is a process of its own, and a restarted instance is a new process: what
the module kept in memory is gone, as after a deploy. The store arrives as a proxy of the
grader's shared store: each call on it is one round trip, counted and answered in the
grader (and refused there if it is not one of the store's commands). What goes back is
the handler's answer; the grader compares it with its own model of the cart.
"""

from __future__ import annotations

from typing import Any


class Store:
    """The shared session store, Redis-style. Every method is one round trip; multi() sends
    several commands in one round trip and runs them atomically (MULTI/EXEC)."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Any) -> None:
        self._remote = remote

    def get(self, key: str) -> Any:
        """The value of a string key, or None."""
        return self._remote.call("get", key)

    def set(self, key: str, value: Any, ex: int | None = None) -> bool:
        """Set a string key (str, bytes, int or float); ex = seconds to live (None: forever)."""
        return bool(self._remote.call("set", key, value, ex))

    def getdel(self, key: str) -> Any:
        """The value of a string key, deleting it in the same step."""
        return self._remote.call("getdel", key)

    def delete(self, *keys: str) -> int:
        """Delete keys; how many existed."""
        return int(self._remote.call("delete", *keys))

    def exists(self, key: str) -> int:
        """1 if the key exists, else 0."""
        return int(self._remote.call("exists", key))

    def expire(self, key: str, seconds: int) -> bool:
        """Let the key live seconds from now; False if there is no such key."""
        return bool(self._remote.call("expire", key, seconds))

    def ttl(self, key: str) -> int:
        """Seconds left to live; -1 for a key without expiry, -2 for no key."""
        return int(self._remote.call("ttl", key))

    def incr(self, key: str, amount: int = 1) -> int:
        """Add amount to an integer key (missing = 0), atomically; the new value."""
        return int(self._remote.call("incr", key, amount))

    def hget(self, key: str, field: str) -> Any:
        """One field of a hash, or None."""
        return self._remote.call("hget", key, field)

    def hset(self, key: str, field: str, value: Any) -> int:
        """Set one field of a hash; 1 if the field is new."""
        return int(self._remote.call("hset", key, field, value))

    def hdel(self, key: str, *fields: str) -> int:
        """Delete fields of a hash (the hash goes when its last field does)."""
        return int(self._remote.call("hdel", key, *fields))

    def hincrby(self, key: str, field: str, amount: int) -> int:
        """Add amount to an integer field of a hash, atomically; the new value."""
        return int(self._remote.call("hincrby", key, field, amount))

    def hgetall(self, key: str) -> dict[str, Any]:
        """Every field of a hash ({} for no key)."""
        return dict(self._remote.call("hgetall", key))

    def gets(self, key: str) -> tuple[Any, int]:
        """A string key's value and its version (None, 0 for no key), for cas()."""
        value, version = self._remote.call("gets", key)
        return value, int(version)

    def cas(self, key: str, version: int, value: Any, ex: int | None = None) -> bool:
        """Compare-and-set: write value only if the key's version is still version (0: only
        if the key does not exist); False, and nothing written, if another write came first."""
        return bool(self._remote.call("cas", key, version, value, ex))

    def multi(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """Run commands, e.g. [("hincrby", key, sku, 2), ("expire", key, 1800)], atomically
        in one round trip; the list of their results."""
        return list(self._remote.call("multi", [tuple(c) for c in commands]))

    def __repr__(self) -> str:
        return "<shared session store>"


def handle(module: Any, remote: Any, request: tuple[Any, ...]) -> Any:
    """One request, on this instance: (kind, session, *arguments)."""
    kind, session, *args = request
    store = Store(remote)
    if kind == "add":
        sku, qty = args
        module.add_item(store, session, sku, qty)
        return None
    if kind == "bundle":
        (items,) = args
        module.add_items(store, session, dict(items))
        return None
    if kind == "remove":
        (sku,) = args
        module.remove_item(store, session, sku)
        return None
    if kind == "view":
        return module.get_cart(store, session)
    if kind == "checkout":
        return module.checkout(store, session)
    raise ValueError(f"no request kind {kind!r}")


def routes(module: Any, sessions: list[str], instances: int) -> list[Any]:
    """The balancer's affinity setting for each session: an instance number, or None."""
    route = getattr(module, "route", None)
    if route is None:
        return [None] * len(sessions)
    return [route(session, instances) for session in sessions]


def shop(module: Any, remote: Any, requests: list[tuple[Any, ...]]) -> list[Any]:
    """Many requests on this one instance, in order: what `lab profile` runs."""
    return [handle(module, remote, request) for request in requests]
