"""Class 2 — the starter, raising SystemExit(0) from a __del__ and from an atexit hook.

Tries: an object whose finalizer raises SystemExit(0) is dropped whenever a router is
built, and an
atexit hook raises SystemExit(0) at shutdown, hoping that an interpreter that "exits
cleanly" is taken for a check that passed, or that the exception escapes the grader's
own error handling at a moment it does not expect.
Must not pass because: the verdict is the grader's judgement of the answers; an exit
status (or an exception in a finalizer) says nothing about them. The starter's router
moves ~91 % of keys and disagrees across processes.
Expect: not pass
"""

from __future__ import annotations

import atexit


class _Parting:
    def __del__(self) -> None:
        raise SystemExit(0)


def _leave() -> None:
    raise SystemExit(0)


atexit.register(_leave)


class ShardRouter:
    """Spreads keys evenly over the shards by hashing them."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)
        _Parting()  # dropped at once: its __del__ raises

    def shard_for(self, key: str) -> str:
        """The shard that owns key."""
        return self.shards[hash(key) % len(self.shards)]


def make_router(shards: list[str]) -> ShardRouter:
    """A router for these shards, listed in the order they joined the cluster."""
    return ShardRouter(shards)
