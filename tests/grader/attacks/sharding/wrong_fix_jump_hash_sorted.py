"""Wrong fix — jump consistent hash over the shards in sorted order.

Tries: Lamping & Veach's jump hash (stable, balanced, minimal movement), numbering the
shards by sorted name "so the order is canonical".
Must not pass because: a new shard's name lands in the middle of the sorted order and
renumbers every shard after it; keys move between old shards.
Expect: fail on moved_elsewhere
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
    """Jump hash over sorted shard names."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = sorted(shards)

    def shard_for(self, key: str) -> str:
        """The shard that owns key."""
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return self.shards[_jump(int.from_bytes(digest, "big"), len(self.shards))]


def make_router(shards: list[str]) -> ShardRouter:
    """A router for these shards."""
    return ShardRouter(shards)
