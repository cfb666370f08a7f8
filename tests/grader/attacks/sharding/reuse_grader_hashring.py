"""Class 3 — route with the grader's own reference ring from perfcoach.sim.sharding.

Tries: the bench computes its notes with a HashRing (160 points per shard, stable hash)
from perfcoach.sim.sharding, which is importable from the sandbox. make_router returns
one of those.
Must not pass because: it is the grader's reference implementation, not the learner's;
grader internals must not be importable from the code under test.
Expect: not pass
"""

from __future__ import annotations

from perfcoach.sim.sharding import HashRing


def make_router(shards: list[str]) -> HashRing:
    """A router for these shards, listed in the order they joined the cluster."""
    return HashRing(list(shards))
