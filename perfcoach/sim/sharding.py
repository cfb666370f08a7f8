"""Sharding simulation: where keys land, what moves when the cluster changes, how even it is.

A router is anything with `shard_for(key) -> shard name`, built from a list of shard names
by a factory. The engine builds a fresh router for every cluster shape, as a restarted
service would after a deploy, so a router keeps keys in place only by computing the same
answer again, never by remembering an earlier one. Everything here is deterministic: the
same router and inputs give the same numbers, which is what lets a lab grade on them.

The reference routers at the end (mod-N, ring with virtual nodes, jump, rendezvous) are the
schemes the database-sharding lesson compares; benches do not grade against them.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Router(Protocol):
    """What a shard router must offer: a pure function from key to shard name."""

    def shard_for(self, key: str) -> str:
        """The name of the shard that owns key."""
        ...


RouterFactory = Callable[[list[str]], Router]


class UnknownShard(ValueError):
    """A router answered with something that is not one of the shard names it was given."""

    def __init__(self, key: str, answer: object, shards: Sequence[str]) -> None:
        self.key, self.answer, self.shards = key, answer, list(shards)
        names = ", ".join(repr(s) for s in self.shards[:4])
        more = ", …" if len(self.shards) > 4 else ""
        super().__init__(
            f"shard_for({key!r}) returned {answer!r}, which is not one of the shard names it "
            f"was given ({names}{more}); return the name itself"
        )


def place(factory: RouterFactory, shards: Sequence[str], keys: Sequence[str]) -> list[str]:
    """The shard of every key, from a router built for exactly these shards.

    Raises UnknownShard when an answer is not one of the names: a router that returns an
    index or a made-up name would look perfectly "consistent" while being useless.
    """
    names = list(shards)
    router = factory(list(names))
    placement = list(map(router.shard_for, keys))
    check_names(names, keys, placement)
    return placement


def check_names(shards: Sequence[str], keys: Sequence[str], placement: Sequence[object]) -> None:
    """Raise UnknownShard at the first answer that is not one of the shard names."""
    known = set(shards)
    try:
        valid = set(placement) <= known  # one set of the answers: cheap next to the routing
    except TypeError:  # an unhashable answer, certainly not a name
        valid = False
    if not valid:
        for key, shard in zip(keys, placement, strict=True):
            if not isinstance(shard, str) or shard not in known:
                raise UnknownShard(key, shard, shards)


@dataclass(frozen=True)
class Movement:
    """What changed between two placements of the same keys.

    A key that leaves a removed shard, or lands on an added one, had to move. Any other
    move shuffles data between two shards that both existed before and after: pure
    migration cost with nothing gained. A consistent scheme has none of those.
    """

    keys: int
    moved: int
    to_added: int
    from_removed: int
    needless: int
    example: tuple[str, str, str] | None  # a needlessly moved key: (key, before, after)

    @property
    def fraction(self) -> float:
        """Moved keys over all keys."""
        return self.moved / self.keys if self.keys else 0.0


def movement(
    keys: Sequence[str],
    before: Sequence[str],
    after: Sequence[str],
    shards_before: Sequence[str],
    shards_after: Sequence[str],
) -> Movement:
    """Compare two placements of keys made for two shard lists."""
    added = set(shards_after) - set(shards_before)
    removed = set(shards_before) - set(shards_after)
    moved = to_added = from_removed = needless = 0
    example = None
    for key, old, new in zip(keys, before, after, strict=True):
        if old == new:
            continue
        moved += 1
        if new in added:
            to_added += 1
        if old in removed:
            from_removed += 1
        if new not in added and old not in removed:
            needless += 1
            if example is None:
                example = (key, old, new)
    return Movement(len(keys), moved, to_added, from_removed, needless, example)


@dataclass(frozen=True)
class Balance:
    """Load per shard (key count, or traffic when weighted) and how uneven it is."""

    loads: dict[str, float]

    @property
    def mean(self) -> float:
        """What every shard would carry if the load were perfectly even."""
        return sum(self.loads.values()) / len(self.loads)

    @property
    def hottest(self) -> str:
        """The shard with the most load (the first one listed, on a tie)."""
        return max(self.loads, key=lambda name: self.loads[name])

    @property
    def max_over_mean(self) -> float:
        """Hottest shard over the mean: the cluster is sized for its hottest shard."""
        mean = self.mean
        return self.loads[self.hottest] / mean if mean else 0.0


def balance(
    shards: Sequence[str], placement: Sequence[str], weights: Sequence[float] | None = None
) -> Balance:
    """Load per shard; a shard that received nothing still counts, with zero."""
    loads: dict[str, float] = dict.fromkeys(shards, 0.0)
    if weights is None:
        for shard, count in Counter(placement).items():
            loads[shard] += count
    else:
        for shard, weight in zip(placement, weights, strict=True):
            loads[shard] += weight
    return Balance(loads)


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    """Request shares of n keys ranked by popularity: p_i ∝ 1 / i^s, summing to 1."""
    raw = [1.0 / rank**s for rank in range(1, n + 1)]
    total = sum(raw)
    return [w / total for w in raw]


def ideal_moved_fraction(n: int) -> float:
    """Keys a consistent scheme moves going from n to n + 1 shards: the new shard's share."""
    return 1 / (n + 1)


def mod_n_moved_fraction(n: int) -> float:
    """Keys `hash % n` moves going from n to n + 1 shards.

    A key stays only if h mod n == h mod (n + 1). By the Chinese remainder theorem the pair
    of remainders is uniform over all n·(n + 1) combinations, and n of them are equal.
    """
    return n / (n + 1)


def ring_share_spread(n: int, vnodes: int) -> float:
    """std/mean of one shard's share on a ring of n shards with vnodes random points each.

    A shard's share of the circle is Beta(V, (n−1)·V), whose std/mean is √((n−1)/(n·V+1)).
    """
    return math.sqrt((n - 1) / (n * vnodes + 1))


def disagreements(first: Sequence[str], second: Sequence[str]) -> list[int]:
    """Positions where two placements of the same keys differ."""
    return [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]


# Reference routers: the schemes the lesson compares, built on a hash that every process
# computes the same way.


def stable_hash64(text: str) -> int:
    """A 64-bit hash of text that is the same in every process, machine and Python version."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class ModN:
    """`stable_hash(key) % N`: stable across processes, but N+1 shards move N/(N+1) of keys."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard at position hash mod N."""
        return self.shards[stable_hash64(key) % len(self.shards)]


class HashRing:
    """Consistent hashing: each shard owns `vnodes` points on a 64-bit circle.

    A key belongs to the first point at or after its hash, wrapping at the top. Adding a
    shard only takes over the arcs in front of its own points; more points per shard make
    each shard's total arc length closer to 1/N.
    """

    def __init__(self, shards: list[str], vnodes: int = 160) -> None:
        ring = sorted(
            (stable_hash64(f"{shard}#{i}"), shard) for shard in shards for i in range(vnodes)
        )
        self.points = [point for point, _ in ring]
        self.owners = [shard for _, shard in ring]

    def shard_for(self, key: str) -> str:
        """The owner of the first point clockwise from the key's hash."""
        i = bisect.bisect_left(self.points, stable_hash64(key))
        return self.owners[i % len(self.owners)]


def jump_hash(key: int, buckets: int) -> int:
    """Jump consistent hash (Lamping & Veach 2014): a bucket in 0..buckets−1 for a 64-bit key.

    Going from n to n + 1 buckets, a key either stays or jumps to bucket n, the new one.
    """
    b, j = -1, 0
    while j < buckets:
        b = j
        key = (key * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        j = int((b + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return b


class JumpHash:
    """Jump hash over the shards in list order: bucket i is shards[i].

    The order must be the order shards joined (new ones appended), because buckets can
    only be added or removed at the top end: removing a shard in the middle renumbers
    every shard after it.
    """

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard whose bucket number jump hash picks."""
        return self.shards[jump_hash(stable_hash64(key), len(self.shards))]


class Rendezvous:
    """Highest random weight: every shard scores the key, the highest score wins.

    Adding a shard moves a key only if the new shard outscores all others for it;
    removing one moves only the keys it was winning. Costs one hash per shard per key.
    """

    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        """The shard with the highest hash of (shard, key)."""
        return max(self.shards, key=lambda shard: stable_hash64(f"{shard}/{key}"))


@dataclass(frozen=True)
class BoundedLoads:
    """Outcome of routing requests with consistent hashing with bounded loads."""

    balance: Balance
    away_from_home: float  # share of requests served by a shard other than the key's own


def bounded_loads(
    ring: HashRing, shards: Sequence[str], requests: Sequence[str], c: float = 1.25
) -> BoundedLoads:
    """Route requests in order on ring, no shard above ⌈c · average⌉ (Mirrokni et al. 2018).

    A request goes to the first shard clockwise from its key that is under the cap; the
    cap grows with the requests routed so far. It bounds a hot key's shard, but only by
    serving that key's requests elsewhere: fine for caches and stateless servers, not for
    rows that live on exactly one shard.
    """
    loads: dict[str, float] = dict.fromkeys(shards, 0.0)
    away = 0
    size = len(ring.owners)
    for routed, key in enumerate(requests):
        cap = math.ceil(c * (routed + 1) / len(shards))
        i = bisect.bisect_left(ring.points, stable_hash64(key)) % size
        home = ring.owners[i]
        owner = home
        while loads[owner] >= cap:
            i = (i + 1) % size
            owner = ring.owners[i]
        loads[owner] += 1
        away += owner != home
    return BoundedLoads(Balance(loads), away / len(requests) if requests else 0.0)
