"""Runs in each app instance, beside the learner's timeline.py: serves one request.

The store arrives as a proxy of the grader's shared store: every call on it is one round
trip, counted and answered in the grader (and refused there if it is not one of the
store's commands). What goes back is the handler's answer; the grader compares a page
with its own reference and counts what each request cost.
"""

from __future__ import annotations

from typing import Any


class Store:
    """The shared store, Redis-style. Every method is one round trip; pipeline() sends
    several commands in one round trip (each still one command of work for the store).

    Sorted sets hold int members (post ids) with int or float scores, ordered by (score,
    member); zrevrange answers newest first as [(member, score), …]."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Any) -> None:
        self._remote = remote

    def zadd(self, key: str, mapping: dict[int, float]) -> int:
        """Add members with their scores ({post_id: at, …}); how many were new."""
        return int(self._remote.call("zadd", key, dict(mapping)))

    def zrevrange(self, key: str, start: int, stop: int) -> list[tuple[int, float]]:
        """Members from rank start to stop (inclusive, -1 = the last), highest first, with
        their scores: zrevrange(key, 0, 19) is the newest 20."""
        return [(m, s) for m, s in self._remote.call("zrevrange", key, start, stop)]

    def zrange(self, key: str, start: int, stop: int) -> list[tuple[int, float]]:
        """The same, lowest first."""
        return [(m, s) for m, s in self._remote.call("zrange", key, start, stop)]

    def zremrangebyrank(self, key: str, start: int, stop: int) -> int:
        """Remove members ranked start to stop, lowest first (0, -21 keeps the top 20)."""
        return int(self._remote.call("zremrangebyrank", key, start, stop))

    def zrem(self, key: str, *members: int) -> int:
        """Remove members; how many there were."""
        return int(self._remote.call("zrem", key, *members))

    def zcard(self, key: str) -> int:
        """How many members the sorted set holds."""
        return int(self._remote.call("zcard", key))

    def sadd(self, key: str, *members: Any) -> int:
        """Add members (ints or strs) to a set; how many were new."""
        return int(self._remote.call("sadd", key, *members))

    def srem(self, key: str, *members: Any) -> int:
        """Remove members from a set; how many there were."""
        return int(self._remote.call("srem", key, *members))

    def smembers(self, key: str) -> list[Any]:
        """Every member of a set, in ascending order ([] for no key)."""
        return list(self._remote.call("smembers", key))

    def sismember(self, key: str, member: Any) -> bool:
        """Whether member is in the set."""
        return bool(self._remote.call("sismember", key, member))

    def smismember(self, key: str, members: list[Any]) -> list[int]:
        """For each of members, 1 if it is in the set, else 0 (one command for the lot)."""
        return [int(x) for x in self._remote.call("smismember", key, list(members))]

    def scard(self, key: str) -> int:
        """How many members the set holds."""
        return int(self._remote.call("scard", key))

    def sinter(self, *keys: str) -> list[Any]:
        """The members every one of the sets holds, in ascending order."""
        return list(self._remote.call("sinter", *keys))

    def get(self, key: str) -> Any:
        """The value of a plain key, or None."""
        return self._remote.call("get", key)

    def set(self, key: str, value: Any) -> bool:
        """Set a plain key (a str, int, float, bytes, or a list or tuple of those)."""
        return bool(self._remote.call("set", key, value))

    def delete(self, *keys: str) -> int:
        """Delete keys of any kind; how many existed."""
        return int(self._remote.call("delete", *keys))

    def pipeline(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """Run commands, e.g. [("zrevrange", key, 0, 19), ("smembers", other)], in one round
        trip; the list of their answers, in order."""
        return list(self._remote.call("pipeline", [tuple(c) for c in commands]))

    def __repr__(self) -> str:
        return "<shared timeline store>"


def publish(module: Any, remote: Any, author: int, post_id: int, at: int) -> None:
    """author posted post_id at time at."""
    module.publish(Store(remote), author, post_id, at)


def delete(module: Any, remote: Any, author: int, post_id: int) -> None:
    """author deleted post_id."""
    module.delete(Store(remote), author, post_id)


def timeline(module: Any, remote: Any, user: int) -> Any:
    """The user's page, as the module returned it."""
    return module.timeline(Store(remote), user)


def replay(module: Any, remote: Any, requests: list[tuple[Any, ...]]) -> int:
    """Many requests on this one instance, in order, for `lab profile`: pages served."""
    pages = 0
    for kind, *args in requests:
        if kind == "timeline":
            timeline(module, remote, *args)
            pages += 1
        elif kind == "publish":
            publish(module, remote, *args)
        else:
            delete(module, remote, *args)
    return pages
