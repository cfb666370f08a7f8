"""Correct alternative — jump consistent hash, bucket i = shards[i] in the order given.

Tries: Lamping & Veach's jump hash over a blake2b key hash, numbering the shards by
their position in the list (new shards are appended, the newest retires first).
Must pass because: growing or shrinking at the end of the list moves only the keys of
the new (or retired) bucket; the load is even; the hash is stable.
Expect: pass
"""

from __future__ import annotations

import hashlib


def _jump(key: int, buckets: int) -> int:
    b, j = -1, 0
    while j < buckets:
        b = j
        key = (key * 2862933555777941757 + 1) % 2**64
        j = int((b + 1) * (2**31 / ((key >> 33) + 1)))
    return b


class ShardRouter:
    """Jump hash over the shards in the order they joined."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard that owns key."""
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return self.shards[_jump(int.from_bytes(digest, "big"), len(self.shards))]


def make_router(shards: list[str]) -> ShardRouter:
    """A router for these shards, listed in the order they joined the cluster."""
    return ShardRouter(shards)
