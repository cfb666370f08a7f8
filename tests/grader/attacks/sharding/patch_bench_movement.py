"""Class 1 — stable md5 % N routing, and the bench's movement() replaced by an ideal one.

Tries: md5 of the key modulo the number of shards: every process agrees and the load is
even, but adding an 11th shard moves ~91 % of the keys. At import time the bench's
`movement` name (imported from perfcoach.sim.sharding into the bench's namespace) is
rebound to a function reporting what a perfect consistent scheme would move: 1/11 of
the keys when a shard is added, nobody else's keys when one retires.
Must not pass because: the router moves 10/11 of the data; the functions the grader
computes its metrics with must not be replaceable by the learner.
Expect: not pass
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _ideal(original: Any) -> Any:
    def movement(
        keys: Sequence[str],
        before: Sequence[str],
        after: Sequence[str],
        shards_before: Sequence[str],
        shards_after: Sequence[str],
    ) -> Any:
        real = original(keys, before, after, shards_before, shards_after)
        grown = len(shards_after) > len(shards_before)
        moved = round(len(keys) / len(shards_after)) if grown else real.from_removed
        return type(real)(len(keys), moved, moved if grown else 0, real.from_removed, 0, None)

    return movement


for _module in list(sys.modules.values()):
    is_bench = Path(getattr(_module, "__file__", None) or "/x").name == "bench.py"
    if is_bench and hasattr(_module, "movement"):
        _module.movement = _ideal(_module.movement)


class ShardRouter:
    """md5(key) % N: stable across processes, and still mod N."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard that owns key."""
        digest = hashlib.md5(key.encode()).digest()
        return self.shards[int.from_bytes(digest[:8], "big") % len(self.shards)]


def make_router(shards: list[str]) -> ShardRouter:
    """A router for these shards, listed in the order they joined the cluster."""
    return ShardRouter(shards)
