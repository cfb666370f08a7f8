"""Wrong fix — a stable hash, still modulo N.

Tries: md5 of the key instead of hash(): every process now agrees.
Must not pass because: it is still mod N; adding an 11th shard moves 10/11 of the keys.
Expect: fail on moved_pct
"""

from __future__ import annotations

import hashlib


class ShardRouter:
    """md5(key) % N."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard that owns key."""
        digest = hashlib.md5(key.encode()).digest()
        return self.shards[int.from_bytes(digest[:8], "big") % len(self.shards)]


def make_router(shards: list[str]) -> ShardRouter:
    """A router for these shards, listed in the order they joined the cluster."""
    return ShardRouter(shards)
