"""Shard routing for the customer store: which of the database shards owns a key.

Every app server and every background worker builds a router from the current list of
shards and asks it where a key lives:

    router = make_router(["pg-eu-1a2b", "pg-us-3c4d", ...])
    router.shard_for("customer:48213") -> "pg-us-3c4d"

The shard list is in the order the shards joined the cluster: a new shard is appended at
the end, and when the cluster shrinks, the newest shard is retired first. When the list
changes, every process builds a new router from the new list.

Routing works today: keys spread evenly and each one always finds its shard. The trouble
starts when the cluster grows (every key whose shard changes must be copied to its new
home before it can be served) and when the router runs in more than one process.
"""

from __future__ import annotations


class ShardRouter:
    """Spreads keys evenly over the shards by hashing them."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard that owns key."""
        return self.shards[hash(key) % len(self.shards)]


def make_router(shards: list[str]) -> ShardRouter:
    """A router for these shards, listed in the order they joined the cluster."""
    return ShardRouter(shards)
