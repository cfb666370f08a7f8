"""Grader for sharding: keys moved on resharding, balance, agreement across processes.

The bench invents CLUSTERS clusters from the attempt's seed, each with N_SHARDS randomly
named shards, one more shard to add, and KEYS_PER_CLUSTER random keys (200,000 keys in
all). It builds the learner's router for each cluster shape, as a restarted service would,
and measures with perfcoach.sim.sharding:

* moved_pct: keys that change shard when an 11th shard joins, over all 200,000 keys. A
  consistent scheme moves the new shard's share, 1/11 ≈ 9.1 %; `hash % N` moves 10/11.
* moved_elsewhere: moved keys that did not land on the new shard (pure migration cost).
* removal_moved_others: keys of staying shards that move when the newest shard retires.
* load_max_over_mean: hottest shard over the mean at 10 shards, averaged over the
  clusters, because one cluster's random shard names can make a good ring look bad.
* hashseed_mismatches: keys placed differently by two fresh interpreters that differ only
  in PYTHONHASHSEED.

All five are counts over seeded inputs, so the same code and seed give the same numbers.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer
from perfcoach.sim.sharding import (
    Balance,
    FreshRun,
    HashRing,
    Layout,
    Movement,
    RouterFactory,
    UnknownShard,
    balance,
    bounded_loads,
    disagreements,
    ideal_moved_fraction,
    mod_n_moved_fraction,
    movement,
    place,
    placements_in_fresh_processes,
    zipf_weights,
)

N_SHARDS = 10
CLUSTERS = 8
KEYS_PER_CLUSTER = 25_000
SAMPLE_KEYS = 2_000  # placed again in two fresh interpreters
WORKLOAD_KEYS = 400_000
ZIPF_REQUESTS = 50_000
BOUND_C = 1.25
FACTORY = "make_router"

REGIONS = ("eu", "us", "ap", "sa")
KEY_KINDS = ("customer", "order", "cart", "session", "invoice")


@dataclass(frozen=True)
class Cluster:
    """Shard names in the order they joined (the last one is added by the test) and keys."""

    shards: list[str]
    keys: list[str]

    @property
    def base(self) -> list[str]:
        """The cluster as it runs today."""
        return self.shards[:N_SHARDS]

    @property
    def grown(self) -> list[str]:
        """The cluster with one more shard appended."""
        return self.shards[: N_SHARDS + 1]

    @property
    def shrunk(self) -> list[str]:
        """The cluster after its newest shard retires."""
        return self.shards[: N_SHARDS - 1]


def make_clusters(rng: random.Random, count: int, keys_each: int) -> list[Cluster]:
    """Random shard names and keys; every key and name is unique across all clusters."""
    suffixes = rng.sample(range(16**4), count * (N_SHARDS + 1))
    ids = rng.sample(range(10**9), count * keys_each)
    clusters = []
    for c in range(count):
        names = [
            f"pg-{rng.choice(REGIONS)}-{suffix:04x}"
            for suffix in suffixes[c * (N_SHARDS + 1) : (c + 1) * (N_SHARDS + 1)]
        ]
        keys = [
            f"{rng.choice(KEY_KINDS)}:{number}"
            for number in ids[c * keys_each : (c + 1) * keys_each]
        ]
        clusters.append(Cluster(names, keys))
    return clusters


@dataclass(frozen=True)
class Survey:
    """Everything measured for one router over the clusters."""

    growth: list[Movement]
    shrink: Movement
    failure: Movement  # a shard in the middle of the list fails
    failed: str
    failed_keys_went_to: Counter[str]
    balances: list[Balance]
    zipf: Balance

    @property
    def moved_pct(self) -> float:
        """Keys moved by adding a shard, over all keys of all clusters, in percent."""
        return 100 * sum(m.moved for m in self.growth) / sum(m.keys for m in self.growth)

    @property
    def moved_elsewhere(self) -> int:
        """Moved keys that did not go to the new shard."""
        return sum(m.needless for m in self.growth)

    @property
    def max_over_mean(self) -> float:
        """Hottest shard over the mean, averaged over the clusters."""
        return statistics.fmean(b.max_over_mean for b in self.balances)


@dataclass(frozen=True)
class Plan:
    """The cluster shapes every router is asked to place, in a fixed order."""

    clusters: list[Cluster]
    failed: str  # a shard in the middle of the first cluster's list, for the failure note
    zipf_ranks: list[int]  # popularity rank of each key of the first cluster

    @property
    def survivors(self) -> list[str]:
        """The first cluster without its failed shard."""
        return [s for s in self.clusters[0].base if s != self.failed]

    def layouts(self) -> list[Layout]:
        """10 and 11 shards for every cluster; then 9 (newest retired) and the survivors."""
        shapes: list[Layout] = []
        for cluster in self.clusters:
            shapes += [(cluster.base, cluster.keys), (cluster.grown, cluster.keys)]
        first = self.clusters[0]
        return [*shapes, (first.shrunk, first.keys), (self.survivors, first.keys)]


def make_plan(rng: random.Random) -> Plan:
    """Clusters, the failing shard and key popularity, all from the attempt's seed."""
    clusters = make_clusters(rng, CLUSTERS, KEYS_PER_CLUSTER)
    failed = clusters[0].base[rng.randrange(1, N_SHARDS - 1)]
    ranks = list(range(KEYS_PER_CLUSTER))
    rng.shuffle(ranks)
    return Plan(clusters, failed, ranks)


def survey(plan: Plan, placements: list[list[str]]) -> Survey:
    """Movement and balance from the placements of plan.layouts(), in that order."""
    growth, balances = [], []
    for n, cluster in enumerate(plan.clusters):
        before, after = placements[2 * n], placements[2 * n + 1]
        growth.append(movement(cluster.keys, before, after, cluster.base, cluster.grown))
        balances.append(balance(cluster.base, before))
    first, base = plan.clusters[0], placements[0]
    shrunk, after_failure = placements[-2], placements[-1]
    shrink = movement(first.keys, base, shrunk, first.base, first.shrunk)
    failure = movement(first.keys, base, after_failure, first.base, plan.survivors)
    went_to = Counter(
        new for old, new in zip(base, after_failure, strict=True) if old == plan.failed != new
    )
    weights = zipf_weights(KEYS_PER_CLUSTER)
    zipf = balance(first.base, base, [weights[r] for r in plan.zipf_ranks])
    return Survey(growth, shrink, failure, plan.failed, went_to, balances, zipf)


def check_router(factory: RouterFactory, cluster: Cluster) -> None:
    """Correctness first: real shard names, and the same answer from two routers built
    from the same list (routing must depend on the shard list and the key only)."""
    sample = cluster.keys[:SAMPLE_KEYS]
    try:
        first = place(factory, cluster.base, sample)
    except UnknownShard as exc:
        raise WrongAnswer(str(exc)) from None
    second = place(factory, cluster.base, sample)
    differ = disagreements(first, second)
    if differ:
        i = differ[0]
        raise WrongAnswer(
            f"two routers built from the same shard list disagree on {sample[i]!r} "
            f"({first[i]} vs {second[i]}): routing must depend only on the shard list and the "
            "key, never on randomness, time or object ids"
        )


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """Valid, repeatable answers first; then movement, balance and cross-process agreement."""
    plan = make_plan(ctx.rng("clusters"))
    first = plan.clusters[0]
    check_router(candidate.make_router, first)
    seeds = ctx.rng("hashseed").sample(range(1, 2**32), 2)
    sample = first.keys[:SAMPLE_KEYS]
    modules = [(_path(candidate), FACTORY), (_path(baseline), FACTORY)]
    survey_run, sample_run = placements_in_fresh_processes(
        modules, [FreshRun(seeds[0], plan.layouts()), FreshRun(seeds[1], [(first.base, sample)])]
    )
    mine, base = survey(plan, survey_run[0]), survey(plan, survey_run[1])
    mine_seed = _seed_check(sample, survey_run[0][0], sample_run[0][0])
    base_seed = _seed_check(sample, survey_run[1][0], sample_run[1][0])
    if mine_seed.count == 0:
        here = place(candidate.make_router, first.base, sample)
        differ = disagreements(here, sample_run[0][0])
        if differ:
            i = differ[0]
            raise WrongAnswer(
                f"{sample[i]!r} goes to {here[i]} in the bench but to {sample_run[0][0][i]} in a "
                "fresh process: the placement must depend on the shard list and the key only"
            )

    goal = ctx.goals["moved_pct"].threshold(None) or 0
    metrics = {
        "moved_pct": Measured(
            round(mine.moved_pct, 2), round(base.moved_pct, 2), detail=_moved_detail(mine, goal)
        ),
        "moved_elsewhere": Measured(
            mine.moved_elsewhere, base.moved_elsewhere, detail=_elsewhere_detail(mine)
        ),
        "removal_moved_others": Measured(
            mine.shrink.needless, base.shrink.needless, detail=_removal_detail(mine, first)
        ),
        "load_max_over_mean": Measured(
            round(mine.max_over_mean, 3),
            round(base.max_over_mean, 3),
            detail=_balance_detail(mine),
        ),
        "hashseed_mismatches": Measured(
            mine_seed.count, base_seed.count, detail=_hashseed_detail(mine_seed, seeds)
        ),
    }
    notes = _notes(mine, plan.clusters, ctx.rng("zipf requests"))
    return Grade(correct=True, metrics=metrics, notes=notes)


def _path(module: ModuleType) -> Path:
    if module.__file__ is None:
        raise RuntimeError(f"module {module.__name__} has no file to run in a fresh process")
    return Path(module.__file__)


@dataclass(frozen=True)
class SeedCheck:
    """Sample keys placed differently by two interpreters with different hash seeds."""

    count: int
    example: tuple[str, str, str] | None  # key, shard under the first seed, under the second


def _seed_check(sample: list[str], first: list[str], second: list[str]) -> SeedCheck:
    """Compare the sample's placement under the two seeds (the first seed's run placed the
    whole first cluster, whose keys begin with the sample)."""
    differ = disagreements(first[: len(sample)], second)
    if not differ:
        return SeedCheck(0, None)
    i = differ[0]
    return SeedCheck(len(differ), (sample[i], first[i], second[i]))


def _mod_n_like(s: Survey) -> bool:
    """Moved about N/(N+1) of the keys: the signature of hash % N, whatever the hash."""
    return abs(s.moved_pct - 100 * mod_n_moved_fraction(N_SHARDS)) < 5


def _moved_detail(s: Survey, goal: float) -> str:
    keys = sum(m.keys for m in s.growth)
    ideal = 100 * ideal_moved_fraction(N_SHARDS)
    if _mod_n_like(s):
        return (
            f"{s.moved_pct:.2f} % of {keys:,} keys ≈ N/(N+1) = "
            f"{100 * mod_n_moved_fraction(N_SHARDS):.1f} %: that is hash % N, with any hash. A "
            "key stays only if h mod 10 = h mod 11. A consistent scheme (a hash ring with "
            "virtual nodes, jump hash, rendezvous) moves only the new shard's fair share, "
            f"1/11 ≈ {ideal:.1f} %"
        )
    if s.moved_pct <= goal:
        return f"{s.moved_pct:.2f} % of {keys:,} keys; ideal 1/(N+1) = {ideal:.2f} %"
    return (
        f"{s.moved_pct:.2f} % of {keys:,} keys, the ideal is 1/11 ≈ {ideal:.2f} %: keys move "
        "between old shards (see the next row) or the new shard takes more than its share "
        "(a ring needs many points per shard)"
    )


def _elsewhere_detail(s: Survey) -> str:
    if s.moved_elsewhere == 0:
        return "every moved key went to the new shard"
    example = next(m.example for m in s.growth if m.example)
    assert example is not None
    key, old, new = example
    why = (
        "hash % N changes the shard of almost every key when N changes"
        if _mod_n_like(s)
        else "numbering shards for jump hash? Use the list order (new shards come last), "
        "not sorted names or a set"
    )
    return (
        f"{s.moved_elsewhere:,} keys moved between shards that exist before and after, e.g. "
        f"{key!r} {old} → {new}: copied for nothing; {why}"
    )


def _removal_detail(s: Survey, cluster: Cluster) -> str:
    retired = cluster.base[-1]
    if s.shrink.needless == 0:
        return f"retiring {retired} moved only its own {s.shrink.from_removed:,} keys"
    return (
        f"retiring the newest shard {retired} also moved {s.shrink.needless:,} keys between "
        "shards that stay; only the retired shard's keys need a new home"
    )


def _balance_detail(s: Survey) -> str:
    per = ", ".join(f"{b.max_over_mean:.2f}" for b in s.balances)
    return (
        f"per cluster: {per}. On a ring with V points per shard, a shard's share has std/mean "
        "≈ √((N−1)/(N·V+1)); the hottest of 10 shards is typically 2.9× the mean with V = 1, "
        "1.5× with 10, 1.12× with 160"
    )


def _hashseed_detail(check: SeedCheck, seeds: list[int]) -> str:
    if check.example is None:
        return f"all {SAMPLE_KEYS:,} sample keys agree across fresh processes"
    key, first, second = check.example
    return (
        f"{check.count:,} of {SAMPLE_KEYS:,} keys differ, e.g. {key!r}: {first} with "
        f"PYTHONHASHSEED={seeds[0]}, {second} with {seeds[1]}. hash() of a str is salted per "
        "process (and so is the order of a set of str): hash with hashlib (md5, sha1, "
        "blake2b) and keep the shards in the order given"
    )


def _notes(s: Survey, clusters: list[Cluster], rng: random.Random) -> list[str]:
    first = clusters[0]
    notes = [
        f"This seed: {CLUSTERS} clusters of {N_SHARDS} shards × {KEYS_PER_CLUSTER:,} keys; each "
        f"grows to 11 shards (ideal move 1/11 ≈ {100 * ideal_moved_fraction(N_SHARDS):.1f} %). "
        f"Shrinking retires the newest shard, {first.base[-1]}."
    ]
    lost = s.failure.from_removed
    if s.failure.needless == 0:
        spread = len(s.failed_keys_went_to)
        largest = max(s.failed_keys_went_to.values(), default=0) / max(lost, 1)
        notes.append(
            f"If {s.failed}, in the middle of the list, failed, your router would move only its "
            f"{lost:,} keys, spread over {spread} of the 9 survivors (the largest part "
            f"{100 * largest:.0f} %)."
            + (
                " One neighbour takes them all: that is what virtual nodes avoid."
                if spread == 1
                else ""
            )
        )
    else:
        notes.append(
            f"If {s.failed}, in the middle of the list, failed, your router would also move "
            f"{s.failure.needless:,} keys of healthy shards. Schemes that number shards by "
            "position do that: mod-N, and jump hash, which can only grow or shrink at the end "
            "(not graded: here shards retire newest first; ring and rendezvous move only the "
            "failed shard's keys)."
        )
    weights = zipf_weights(KEYS_PER_CLUSTER)
    requests = rng.choices(first.keys, weights, k=ZIPF_REQUESTS)
    bounded = bounded_loads(HashRing(first.base), first.base, requests, BOUND_C)
    notes.append(
        f"Zipf traffic (s = 1): the top key alone gets {100 * weights[0]:.1f} % of requests; "
        f"your hottest shard carries {s.zipf.max_over_mean:.2f}× the mean. No key→shard "
        "function spreads one key. Bounded loads (c = 1.25) on a 160-point ring would cap it "
        f"at {bounded.balance.max_over_mean:.2f}× by serving "
        f"{100 * bounded.away_from_home:.0f} % of requests away from their key's home shard: "
        "right for a cache, not for rows that live on one shard (split or replicate hot keys)."
    )
    return notes


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """One resharding, 10 → 11 shards over 400,000 keys, for `perfcoach lab profile`; keys
    and names are built here, outside the profile."""
    cluster = make_clusters(ctx.rng("workload"), 1, WORKLOAD_KEYS)[0]

    def reshard() -> Movement:
        before = place(module.make_router, cluster.base, cluster.keys)
        after = place(module.make_router, cluster.grown, cluster.keys)
        return movement(cluster.keys, before, after, cluster.base, cluster.grown)

    return reshard
