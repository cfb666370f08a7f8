"""Grader for sharding: keys moved on resharding, balance, agreement across processes.

The bench invents CLUSTERS clusters from the attempt's seed, each with N_SHARDS randomly
named shards, one more shard to add, and KEYS_PER_CLUSTER random keys (200,000 keys in
all). The learner's router runs only in sandboxed subjects: the driver builds a router
for every cluster shape from a freshly imported router.py, as a restarted service would,
and sends back where each key went. Everything is judged here, with perfcoach.sim.sharding:

* moved_pct: keys that change shard when an 11th shard joins, over all 200,000 keys. A
  consistent scheme moves the new shard's share, 1/11 ≈ 9.1 %; `hash % N` moves 10/11.
* moved_elsewhere: moved keys that did not land on the new shard (pure migration cost).
* removal_moved_others: keys of staying shards that move when the newest shard retires.
* load_max_over_mean: hottest shard over the mean at 10 shards, averaged over the
  clusters, because one cluster's random shard names can make a good ring look bad.
* hashseed_mismatches: SAMPLE_KEYS keys of the first cluster placed differently by two
  subjects that differ only in PYTHONHASHSEED, each asked about that cluster first.

Two subjects share the survey, whole clusters each, so that a router built on hash() is
measured inside one process. Each starts with the first cluster as it runs today, places
its own shapes and a sample of each of the other's in a seeded order of its own, and places
the first cluster's sample again at the end. A router whose answer depends on anything but
the shard list and the key (answers remembered from an earlier shape, in the module or
anywhere else in the process) disagrees with itself or with the other process, and fails
as a wrong answer. The starter's figures come from two starter subjects with the same
hash seeds and the same share of the work. All five are counts over seeded inputs, so the
same code and seed give the same numbers.
"""

from __future__ import annotations

import random
import statistics
import struct
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, Subject, Workload, WrongAnswer
from perfcoach.sim.sharding import (
    Balance,
    BoundedLoads,
    HashRing,
    Movement,
    UnknownShard,
    balance,
    bounded_loads,
    check_names,
    disagreements,
    ideal_moved_fraction,
    mod_n_moved_fraction,
    movement,
    zipf_weights,
)

N_SHARDS = 10
CLUSTERS = 8
KEYS_PER_CLUSTER = 25_000
SAMPLE_KEYS = 2_000  # of the first cluster: two routers in one process, two processes
CROSS_KEYS = 2_000  # keys of each of the other process's layouts, placed again
HALF_CLUSTERS = CLUSTERS // 2  # the second process surveys the clusters from here on
WORKLOAD_KEYS = 400_000
ZIPF_REQUESTS = 50_000
BOUND_C = 1.25

REGIONS = ("eu", "us", "ap", "sa")
Layout = tuple[list[str], list[str]]  # (shard names in joining order, keys)
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
    ids = unique_numbers(rng, count * keys_each)
    kinds = rng.choices(KEY_KINDS, k=count * keys_each)
    clusters = []
    for c in range(count):
        names = [
            f"pg-{rng.choice(REGIONS)}-{suffix:04x}"
            for suffix in suffixes[c * (N_SHARDS + 1) : (c + 1) * (N_SHARDS + 1)]
        ]
        part = slice(c * keys_each, (c + 1) * keys_each)
        keys = [f"{kind}:{number}" for kind, number in zip(kinds[part], ids[part], strict=True)]
        clusters.append(Cluster(names, keys))
    return clusters


def unique_numbers(rng: random.Random, n: int) -> list[int]:
    """n distinct random 32-bit numbers, drawn in bulk: a few hundred thousand keys cost
    milliseconds instead of the better part of a second."""
    drawn = dict.fromkeys(struct.unpack(f"<{n}I", rng.randbytes(4 * n)))
    while len(drawn) < n:  # a handful of collisions among 2**32 values
        drawn[rng.getrandbits(32)] = None
    return list(drawn)[:n]


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


def check_router(subject: Subject, cluster: Cluster) -> None:
    """Correctness first: real shard names, and the same answer from two routers built
    from the same list (routing must depend on the shard list and the key only)."""
    sample = cluster.keys[:SAMPLE_KEYS]
    both = subject.run("in_one_module", [cluster.base, cluster.base], sample)
    if not isinstance(both, list) or len(both) != 2:
        raise WrongAnswer(f"two routers' placements came back as {both!r:.80}")
    first, second = (_valid(p, cluster.base, sample) for p in both)
    differ = disagreements(first, second)
    if differ:
        i = differ[0]
        raise WrongAnswer(
            f"two routers built from the same shard list disagree on {sample[i]!r} "
            f"({first[i]} vs {second[i]}): routing must depend only on the shard list and the "
            "key, never on randomness, time or object ids"
        )


def _valid(placement: Any, shards: list[str], keys: list[str]) -> list[str]:
    """A placement that names one of the shards for every key, or a WrongAnswer."""
    if not isinstance(placement, list) or len(placement) != len(keys):
        raise WrongAnswer(f"{len(keys):,} keys came back as {placement!r:.80}")
    try:
        check_names(shards, keys, placement)
    except UnknownShard as exc:
        raise WrongAnswer(str(exc)) from None
    return placement


def ask(subject: Subject, asked: list[Layout]) -> list[list[str]]:
    """Every (shards, keys) placed by one subject in this order, then the first SAMPLE_KEYS
    keys of the first one again. Fails when an answer is not a shard name, or when the
    repeat differs: the same shard list must always give the same answers."""
    shards, keys = asked[0]
    questions = [*asked, (shards, keys[:SAMPLE_KEYS])]
    answers = subject.run("place", questions)
    if not isinstance(answers, list) or len(answers) != len(questions):
        raise WrongAnswer(f"placing {len(questions)} cluster shapes gave back {answers!r:.80}")
    found = [_valid(p, shards, keys) for p, (shards, keys) in zip(answers, questions, strict=True)]
    again = disagreements(found[0][:SAMPLE_KEYS], found[-1])
    if again:
        i = again[0]
        raise WrongAnswer(
            f"{keys[i]!r} went to {found[0][i]} when the first router for these "
            f"{len(shards)} shards was built, and to {found[-1][i]} when one was built again "
            "after routers for other cluster shapes: the answer must depend only on the "
            "shard list and the key. A router cannot remember where keys were (in its "
            "module, in another module, in a file): every process and every restart starts "
            "without that memory"
        )
    return found[:-1]


@dataclass(frozen=True)
class Ask:
    """One cluster shape as a process is asked to place it: the layout's number in the
    plan, and which of its keys (all of them, or a sample to compare with another process)."""

    layout: int
    sample: tuple[int, ...] | None = None  # positions of the keys asked; None for all

    def of(self, layouts: list[Layout]) -> Layout:
        """The shard list and the keys asked."""
        shards, keys = layouts[self.layout]
        return shards, keys if self.sample is None else [keys[p] for p in self.sample]


FIRST = Ask(0)  # the first cluster as it runs today, whole: its owner starts with it
FIRST_SAMPLE = Ask(0, tuple(range(SAMPLE_KEYS)))  # the other process starts with these keys


def questions(
    rng: random.Random, layouts: list[Layout], own: list[int], other: list[int]
) -> list[Ask]:
    """What one process places: first the first cluster as it runs today (whole if it is
    its own, else its first SAMPLE_KEYS keys), as the other process does, so that the two
    can differ there only through the process (the hash-seed metric); then its own layouts
    whole and CROSS_KEYS keys of each of the other's, in a seeded order of its own."""
    start = FIRST if 0 in own else FIRST_SAMPLE
    rest = [Ask(i) for i in own if i != 0]
    rest += [
        Ask(i, tuple(sorted(rng.sample(range(len(layouts[i][1])), CROSS_KEYS))))
        for i in other
        if i != 0
    ]
    rng.shuffle(rest)
    return [start, *rest]


def placed(subject: Subject, layouts: list[Layout], asks: list[Ask]) -> dict[Ask, list[str]]:
    """The answers to asks, by ask. Fails when a shard gets none of a cluster's keys."""
    found = ask(subject, [a.of(layouts) for a in asks])
    for a, placement in zip(asks, found, strict=True):
        if a.sample is not None:
            continue
        shards, keys = layouts[a.layout]
        used = set(placement)
        idle = [name for name in shards if name not in used]
        if idle:
            raise WrongAnswer(
                f"shard {idle[0]} received none of the {len(keys):,} keys on a cluster of "
                f"{len(shards)} shards: a router must spread the keys over every shard it is "
                "given. A hash ring needs many points per shard; a router that keeps keys "
                "where an earlier router put them never fills a new shard"
            )
    return dict(zip(asks, found, strict=True))


def agree(
    layouts: list[Layout],
    whole: list[list[str]],
    answers: list[dict[Ask, list[str]]],
    seeds: list[int],
) -> None:
    """Each sampled key must go where the process that placed its whole layout put it. The
    first cluster's differences are the hash-seed metric; any other difference, when that
    one agrees, means the answer depends on what the process placed before."""
    if disagreements(whole[0][:SAMPLE_KEYS], answers[1][FIRST_SAMPLE]):
        return
    for n, asked in enumerate(answers):
        for a, placement in asked.items():
            if a.sample is None:
                continue
            shards, keys = layouts[a.layout]
            for p, got in zip(a.sample, placement, strict=True):
                if whole[a.layout][p] != got:
                    ours = (got, whole[a.layout][p]) if n == 0 else (whole[a.layout][p], got)
                    raise WrongAnswer(
                        f"{keys[p]!r} on a cluster of {len(shards)} shards went to {ours[0]} in "
                        f"one fresh process (PYTHONHASHSEED={seeds[0]}) and to {ours[1]} in "
                        f"another ({seeds[1]}), asked about the cluster shapes in another "
                        "order: the answer must depend only on the shard list and the key, "
                        "not on what the process placed before"
                    )


def grade(ctx: LabContext) -> Grade:
    """Valid, repeatable answers first; then movement, balance and cross-process agreement."""
    seeds = ctx.rng("hashseed").sample(range(1, 2**32), 2)
    yours = [ctx.spawn({"PYTHONHASHSEED": str(seed)}) for seed in seeds]
    starters = [ctx.spawn({"PYTHONHASHSEED": str(seed)}, starter=True) for seed in seeds]
    plan = make_plan(ctx.rng("clusters"))
    first = plan.clusters[0]
    layouts = plan.layouts()
    # Two processes share the survey, whole clusters each (so that a hash-seeded router's
    # movement is measured inside one process), and each checks a sample of the other's.
    # The starter is measured the same way, so the starter's code scores the starter's
    # figures exactly.
    second = list(range(2 * HALF_CLUSTERS, 2 * CLUSTERS))
    halves = [[i for i in range(len(layouts)) if i not in second], second]
    asks = [questions(ctx.rng(f"questions {n}"), layouts, halves[n], halves[1 - n]) for n in (0, 1)]
    base_asks = [[FIRST, *(Ask(i) for i in halves[0][1:])], [FIRST_SAMPLE, *map(Ask, second)]]
    # Five processes, each on its own socket, and no service shared between them: their
    # work overlaps, and overlaps with the reference figures computed meanwhile here.
    with ThreadPoolExecutor(max_workers=5) as pool:
        checked = pool.submit(check_router, ctx.candidate, first)
        mine = [pool.submit(placed, yours[n], layouts, asks[n]) for n in (0, 1)]
        theirs = [pool.submit(placed, starters[n], layouts, base_asks[n]) for n in (0, 1)]
        zipf = Zipf.make(ctx.rng("zipf requests"), first)
        checked.result()  # the plainest wrong answer first
        answers = [future.result() for future in mine]
        base_answers = [future.result() for future in theirs]
    whole = [answers[1 if i in second else 0][Ask(i)] for i in range(len(layouts))]
    agree(layouts, whole, answers, seeds)
    base = [base_answers[1 if i in second else 0][Ask(i)] for i in range(len(layouts))]
    yours_seen, starter_seen = survey(plan, whole), survey(plan, base)
    mine_seed = _seed_check(first.keys, whole[0][:SAMPLE_KEYS], answers[1][FIRST_SAMPLE])
    base_seed = _seed_check(first.keys, base[0][:SAMPLE_KEYS], base_answers[1][FIRST_SAMPLE])

    goal = ctx.goals["moved_pct"].threshold(None) or 0
    metrics = {
        "moved_pct": Measured(
            round(yours_seen.moved_pct, 2),
            round(starter_seen.moved_pct, 2),
            detail=_moved_detail(yours_seen, goal),
        ),
        "moved_elsewhere": Measured(
            yours_seen.moved_elsewhere,
            starter_seen.moved_elsewhere,
            detail=_elsewhere_detail(yours_seen),
        ),
        "removal_moved_others": Measured(
            yours_seen.shrink.needless,
            starter_seen.shrink.needless,
            detail=_removal_detail(yours_seen, first),
        ),
        "load_max_over_mean": Measured(
            round(yours_seen.max_over_mean, 3),
            round(starter_seen.max_over_mean, 3),
            detail=_balance_detail(yours_seen),
        ),
        "hashseed_mismatches": Measured(
            mine_seed.count, base_seed.count, detail=_hashseed_detail(mine_seed, seeds)
        ),
    }
    notes = _notes(yours_seen, plan.clusters, zipf)
    return Grade(correct=True, metrics=metrics, notes=notes)


@dataclass(frozen=True)
class SeedCheck:
    """Sample keys placed differently by two interpreters with different hash seeds."""

    count: int
    example: tuple[str, str, str] | None  # key, shard under the first seed, under the second


def _seed_check(keys: list[str], first: list[str], second: list[str]) -> SeedCheck:
    """Compare the sample keys' placement at 10 shards under the two seeds."""
    differ = disagreements(first, second)
    if not differ:
        return SeedCheck(0, None)
    i = differ[0]
    return SeedCheck(len(differ), (keys[i], first[i], second[i]))


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
        "≈ √((N−1)/(N·V+1)); the hottest of 10 shards is typically 2.8× the mean with V = 1, "
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


@dataclass(frozen=True)
class Zipf:
    """Skewed traffic on the first cluster, routed by a reference ring with bounded loads:
    the note's comparison, which needs nothing from the learner's router."""

    top_share: float
    bounded: BoundedLoads

    @classmethod
    def make(cls, rng: random.Random, cluster: Cluster) -> Zipf:
        """ZIPF_REQUESTS requests drawn by popularity, routed with c = BOUND_C."""
        weights = zipf_weights(KEYS_PER_CLUSTER)
        requests = rng.choices(cluster.keys, weights, k=ZIPF_REQUESTS)
        ring = HashRing(cluster.base)
        return cls(weights[0], bounded_loads(ring, cluster.base, requests, BOUND_C))


def _notes(s: Survey, clusters: list[Cluster], zipf: Zipf) -> list[str]:
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
    bounded = zipf.bounded
    notes.append(
        f"Zipf traffic (s = 1): the top key alone gets {100 * zipf.top_share:.1f} % of requests; "
        f"your hottest shard carries {s.zipf.max_over_mean:.2f}× the mean. No key→shard "
        "function spreads one key. Bounded loads (c = 1.25) on a 160-point ring would cap it "
        f"at {bounded.balance.max_over_mean:.2f}× by serving "
        f"{100 * bounded.away_from_home:.0f} % of requests away from their key's home shard: "
        "right for a cache, not for rows that live on one shard (split or replicate hot keys)."
    )
    return notes


def workload(ctx: LabContext) -> Workload:
    """One resharding, 10 → 11 shards over 400,000 keys, for `perfcoach lab profile`; keys
    and names are built here, outside the profile."""
    cluster = make_clusters(ctx.rng("workload"), 1, WORKLOAD_KEYS)[0]
    return Workload("in_one_module", ([cluster.base, cluster.grown], cluster.keys))
