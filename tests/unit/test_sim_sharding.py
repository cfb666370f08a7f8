"""The sharding simulation on inputs whose answers are known exactly or analytically."""

from __future__ import annotations

import hashlib
import math
import random

import pytest

from perfcoach.sim.sharding import (
    HashRing,
    JumpHash,
    ModN,
    Movement,
    Rendezvous,
    RouterFactory,
    UnknownShard,
    balance,
    bounded_loads,
    check_names,
    disagreements,
    ideal_moved_fraction,
    jump_hash,
    mod_n_moved_fraction,
    movement,
    place,
    ring_share_spread,
    stable_hash64,
    zipf_weights,
)

SHARDS = [f"db-{i}" for i in range(11)]
rng = random.Random(20140627)
KEYS = [f"user:{rng.getrandbits(48)}" for _ in range(20_000)]


class ByNumber:
    """Routes the key "17" to shard 17 mod N: movement is known exactly."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = shards

    def shard_for(self, key: str) -> str:
        return self.shards[int(key) % len(self.shards)]


def grow(
    factory: RouterFactory, keys: list[str] = KEYS, n: int = 10
) -> tuple[list[str], list[str], Movement]:
    before = place(factory, SHARDS[:n], keys)
    after = place(factory, SHARDS[: n + 1], keys)
    return before, after, movement(keys, before, after, SHARDS[:n], SHARDS[: n + 1])


def test_mod_n_moves_exactly_n_over_n_plus_one_on_a_full_period() -> None:
    keys = [str(i) for i in range(10 * 11 * 50)]  # every pair of remainders equally often
    _, _, moved = grow(ByNumber, keys)
    assert moved.fraction == pytest.approx(mod_n_moved_fraction(10)) == 10 / 11
    assert moved.to_added == len(keys) // 11  # remainder 10 mod 11 goes to the new shard
    assert moved.needless == moved.moved - moved.to_added
    assert moved.example == ("11", "db-1", "db-0")  # the first key with h mod 10 ≠ h mod 11


def test_stable_mod_n_moves_about_n_over_n_plus_one() -> None:
    _, _, moved = grow(ModN)
    assert moved.fraction == pytest.approx(10 / 11, abs=0.01)
    assert moved.needless > 0.8 * len(KEYS)


@pytest.mark.parametrize("factory", [HashRing, JumpHash, Rendezvous], ids=["ring", "jump", "hrw"])
def test_consistent_schemes_move_about_one_over_n_plus_one_onto_the_new_shard(
    factory: RouterFactory,
) -> None:
    _, after, moved = grow(factory)
    assert moved.needless == 0 and moved.example is None
    assert moved.to_added == moved.moved == after.count(SHARDS[10])
    assert moved.fraction == pytest.approx(ideal_moved_fraction(10), rel=0.15)


@pytest.mark.parametrize("factory", [HashRing, Rendezvous], ids=["ring", "hrw"])
def test_removing_any_shard_moves_only_its_keys(factory: RouterFactory) -> None:
    before = place(factory, SHARDS[:10], KEYS)
    survivors = [s for s in SHARDS[:10] if s != "db-4"]
    moved = movement(KEYS, before, place(factory, survivors, KEYS), SHARDS[:10], survivors)
    assert moved.needless == 0
    assert moved.moved == moved.from_removed == before.count("db-4")


def test_jump_hash_only_ever_jumps_to_the_new_bucket() -> None:
    for key in (stable_hash64(k) for k in KEYS[:2000]):
        assert jump_hash(key, 1) == 0
        for n in range(1, 40):
            assert jump_hash(key, n + 1) in (jump_hash(key, n), n)


def test_jump_hash_cannot_lose_a_middle_bucket_cheaply() -> None:
    before = place(JumpHash, SHARDS[:10], KEYS)
    survivors = [s for s in SHARDS[:10] if s != "db-4"]
    moved = movement(KEYS, before, place(JumpHash, survivors, KEYS), SHARDS[:10], survivors)
    assert moved.needless > 0.1 * len(KEYS)  # shards after db-4 were renumbered


def test_ring_balance_improves_with_virtual_nodes_as_the_formula_says() -> None:
    one = balance(SHARDS[:10], place(lambda s: HashRing(s, 1), SHARDS[:10], KEYS))
    many = balance(SHARDS[:10], place(lambda s: HashRing(s, 1000), SHARDS[:10], KEYS))
    assert one.max_over_mean > 1.4
    assert many.max_over_mean < 1.15
    assert ring_share_spread(10, 1) == pytest.approx(math.sqrt(9 / 11))
    assert ring_share_spread(10, 160) == pytest.approx(math.sqrt(9 / 1601))


def test_balance_counts_empty_shards_and_weights() -> None:
    counted = balance(["a", "b", "c", "d"], ["a", "a", "b", "a"])
    assert counted.loads == {"a": 3, "b": 1, "c": 0, "d": 0}
    assert counted.mean == 1 and counted.hottest == "a" and counted.max_over_mean == 3
    weighted = balance(["a", "b"], ["a", "b", "b"], [0.5, 0.25, 0.25])
    assert weighted.max_over_mean == 1


def test_movement_tells_necessary_from_needless_moves() -> None:
    keys = ["k1", "k2", "k3", "k4"]
    before = ["a", "b", "c", "a"]
    after = ["a", "d", "a", "b"]  # c retired, d added
    moved = movement(keys, before, after, ["a", "b", "c"], ["a", "b", "d"])
    assert (moved.moved, moved.to_added, moved.from_removed, moved.needless) == (3, 1, 1, 1)
    assert moved.example == ("k4", "a", "b")
    assert disagreements(before, after) == [1, 2, 3]


def test_zipf_top_key_share_matches_the_harmonic_number() -> None:
    weights = zipf_weights(100_000)
    assert sum(weights) == pytest.approx(1)
    harmonic = sum(1 / i for i in range(1, 100_001))
    assert weights[0] == pytest.approx(1 / harmonic)
    assert round(100 * weights[0], 1) == 8.3  # FACTS: 8.3 % of traffic at s = 1, 100k keys


def test_place_refuses_answers_that_are_not_shard_names() -> None:
    class ByIndex:
        def __init__(self, shards: list[str]) -> None:
            self.n = len(shards)

        def shard_for(self, key: str) -> str:
            return stable_hash64(key) % self.n  # type: ignore[return-value]

    with pytest.raises(UnknownShard, match="return the name itself"):
        place(ByIndex, SHARDS[:3], KEYS[:10])


def test_stable_hash_is_blake2b_and_not_salted() -> None:
    digest = hashlib.blake2b(b"customer:1", digest_size=8).digest()
    assert stable_hash64("customer:1") == int.from_bytes(digest, "big")


def test_bounded_loads_cap_the_hot_shard_by_serving_requests_elsewhere() -> None:
    keys = KEYS[:5000]
    requests = random.Random(7).choices(keys, zipf_weights(len(keys)), k=20_000)
    ring = HashRing(SHARDS[:10])
    free = bounded_loads(ring, SHARDS[:10], requests, c=1000)
    assert free.away_from_home == 0
    assert free.balance.max_over_mean > 1.5  # the top key alone is ~11 % of requests
    capped = bounded_loads(ring, SHARDS[:10], requests, c=1.25)
    assert capped.balance.max_over_mean <= 1.25 + 10 / len(requests)
    assert 0 < capped.away_from_home < 0.5


def test_answers_from_elsewhere_are_checked_for_names() -> None:
    """Placements that come back over the wire: any answer that is not a name is named."""
    check_names(SHARDS[:2], ["a", "b"], [SHARDS[1], SHARDS[0]])
    with pytest.raises(UnknownShard, match=r"shard_for\('b'\) returned \['db-0'\]"):
        check_names(SHARDS[:2], ["a", "b"], [SHARDS[0], [SHARDS[0]]])
