"""Grader for multi-layer-cache: four app instances, a shared L2, a database and a bus.

The bench builds four instances of the learner's ProfileService and gives them the same
shared L2 (a Redis stand-in), the same database and the same invalidation bus, all
instrumented. It replays a seeded Zipf mix of reads and updates, each routed to a random
instance, and checks every value an instance serves against the database's truth:

* every Profile the database or L2 hands out is a fresh object tagged with the instance
  that asked for it; weak references count how many each instance keeps alive (its L1),
  and an instance serving another instance's object means they share memory, which four
  separate processes cannot;
* L2 and database calls made during a get() add simulated latency to that read, so the
  mean read latency is a deterministic number, like every other metric here.
"""

from __future__ import annotations

import itertools
import random
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer

INSTANCES = ("app-1", "app-2", "app-3", "app-4")
N_USERS = 2000
ZIPF_S = 1.1
REQUESTS = 40_000
WORKLOAD_REQUESTS = 100_000
L1_MAXSIZE = 100
UPDATE_SHARE = 0.01
L2_MS = 0.5  # one round trip to the shared cache on the same LAN
DB_READ_MS = 20.0  # the profile query joins five tables
DB_WRITE_MS = 5.0
NAMES = ("Ada", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena")


class Profile:
    """One version of a user's profile, as the database returns it. Do not modify it."""

    __slots__ = ("__weakref__", "display_name", "user_id", "version")

    def __init__(self, user_id: int, version: int, display_name: str) -> None:
        self.user_id = user_id
        self.version = version
        self.display_name = display_name

    def __repr__(self) -> str:
        return f"Profile({self.user_id}, version={self.version}, {self.display_name!r})"


@dataclass(frozen=True)
class Origin:
    """Where a Profile object came from: which layer, for which instance, at which request."""

    instance: str
    layer: str  # "the database" | "L2" | "a database write"
    request: int


@dataclass
class Stats:
    """Everything the replay counted."""

    requests: int = 0
    gets: int = 0
    updates: int = 0
    db_reads: int = 0
    db_reads_without_l2: int = 0
    l2_lookups: int = 0
    l2_sets: int = 0
    l1_misses: int = 0
    latency_ms: float = 0.0
    stale: int = 0
    stale_example: str = ""
    peak: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INSTANCES, 0))
    peak_at: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INSTANCES, 0))


class World:
    """The shared state behind the fakes: the truth, the tags, the counters, the cost."""

    def __init__(self, rows: dict[int, tuple[int, str]]) -> None:
        self.rows = dict(rows)  # user_id -> (version, display_name)
        self.written: dict[int, tuple[str, int]] = {}  # user_id -> (instance, request)
        self.stats = Stats()
        self.current = ""
        self.request = 0
        self.cost_ms = 0.0
        self.origins: weakref.WeakKeyDictionary[Profile, Origin] = weakref.WeakKeyDictionary()
        self.alive: Counter[str] = Counter()
        self._refs: set[weakref.ref[Profile]] = set()

    def issue(self, user_id: int, version: int, name: str, layer: str) -> Profile:
        """A fresh Profile for the current instance, counted while it stays alive."""
        profile = Profile(user_id, version, name)
        owner = self.current
        self.origins[profile] = Origin(owner, layer, self.request)
        self.alive[owner] += 1
        refs = self._refs

        def gone(ref: weakref.ref[Profile]) -> None:
            self.alive[owner] -= 1
            refs.discard(ref)

        refs.add(weakref.ref(profile, gone))
        return profile


class Database:
    """The source of truth: read() is slow (20 ms simulated) and counted."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._writes: list[tuple[int, str]] = []

    def read(self, user_id: int) -> Profile:
        """The current profile of user_id."""
        world = self._world
        world.stats.db_reads += 1
        world.cost_ms += DB_READ_MS
        version, name = world.rows[user_id]
        return world.issue(user_id, version, name, "the database")

    def write(self, user_id: int, display_name: str) -> Profile:
        """Store a new display name; returns the new version."""
        world = self._world
        world.cost_ms += DB_WRITE_MS
        version = world.rows[user_id][0] + 1
        world.rows[user_id] = (version, display_name)
        world.written[user_id] = (world.current, world.request)
        self._writes.append((user_id, display_name))
        return world.issue(user_id, version, display_name, "a database write")


class SharedCache:
    """The shared L2 (think Redis): every call is a 0.5 ms round trip; it stores copies."""

    def __init__(self, world: World, rows: dict[int, tuple[int, str]]) -> None:
        self._world = world
        self._data = dict(rows)  # warm: it has been running for days

    def get(self, user_id: int) -> Profile | None:
        """A fresh copy of the stored profile, or None."""
        world = self._world
        world.stats.l2_lookups += 1
        world.cost_ms += L2_MS
        stored = self._data.get(user_id)
        if stored is None:
            return None
        return world.issue(user_id, *stored, "L2")

    def set(self, user_id: int, profile: Profile) -> None:
        """Store a copy of a profile the database (or L2) returned."""
        world = self._world
        world.stats.l2_sets += 1
        world.cost_ms += L2_MS
        known = isinstance(profile, Profile) and profile in world.origins
        if not known or profile.user_id != user_id:
            raise WrongAnswer(
                f"l2.set({user_id!r}, {profile!r}): store the Profile the database returned "
                "for that user"
            )
        self._data[user_id] = (profile.version, profile.display_name)

    def delete(self, user_id: int) -> None:
        """Remove a key; the next get() of it returns None."""
        world = self._world
        world.cost_ms += L2_MS
        self._data.pop(user_id, None)


class InvalidationBus:
    """Broadcast to every subscribed instance, synchronously (think Redis pub/sub)."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._subscribers: list[tuple[str, Callable[[Any], object]]] = []

    def subscribe(self, callback: Callable[[Any], object]) -> None:
        """callback(message) runs on this instance for every message anyone publishes."""
        self._subscribers.append((self._world.current, callback))

    def publish(self, message: Any) -> None:
        """Deliver message to every subscriber, the publisher's own included."""
        world = self._world
        publisher = world.current
        for instance, callback in list(self._subscribers):
            world.current = instance
            callback(message)
        world.current = publisher


@dataclass(frozen=True)
class Op:
    """One request: a read or an update, routed to one instance."""

    instance: str
    user_id: int
    display_name: str | None = None  # None for reads


@dataclass
class Workload:
    """The database's starting rows and the seeded requests."""

    rows: dict[int, tuple[int, str]]
    ops: list[Op]


def build_workload(rng: random.Random, requests: int) -> Workload:
    """Zipf reads and updates over N_USERS, each routed to a random instance.

    User ids are random, and popularity rank is their order in a shuffled list, so no
    id pattern says who is popular.
    """
    users = rng.sample(range(100_000, 1_000_000), N_USERS)
    rows = {uid: (1, f"{rng.choice(NAMES)}{rng.randint(1, 9999)}") for uid in users}
    weights = list(itertools.accumulate(1 / (rank + 1) ** ZIPF_S for rank in range(N_USERS)))
    ops = []
    for uid in rng.choices(users, cum_weights=weights, k=requests):
        instance = rng.choice(INSTANCES)
        if rng.random() < UPDATE_SHARE:
            ops.append(Op(instance, uid, f"{rng.choice(NAMES)}{rng.randint(1, 9999)}"))
        else:
            ops.append(Op(instance, uid))
    return Workload(rows, ops)


class Replay:
    """Four instances of the learner's class over one L2, one database and one bus."""

    def __init__(self, module: ModuleType, workload: Workload) -> None:
        self.world = World(workload.rows)
        self.db = Database(self.world)
        self.l2 = SharedCache(self.world, workload.rows)
        self.bus = InvalidationBus(self.world)
        self.workload = workload
        self.instances = {}
        for name in INSTANCES:
            self.world.current = name
            self.instances[name] = module.ProfileService(
                name=name, db=self.db, l2=self.l2, bus=self.bus, l1_maxsize=L1_MAXSIZE
            )

    def run(self) -> Stats:
        """Every request in order; WrongAnswer on the first answer that is simply wrong."""
        world, stats = self.world, self.world.stats
        for number, op in enumerate(self.workload.ops, start=1):
            world.request = number
            world.current = op.instance
            stats.requests += 1
            if op.display_name is None:
                self._get(op)
            else:
                self._update(op)
            for instance, alive in world.alive.items():
                if alive > stats.peak[instance]:
                    stats.peak[instance] = alive
                    stats.peak_at[instance] = number
        return stats

    def _get(self, op: Op) -> None:
        world, stats = self.world, self.world.stats
        lookups, db_reads = stats.l2_lookups, stats.db_reads
        world.cost_ms = 0.0
        served = self.instances[op.instance].get(op.user_id)
        stats.gets += 1
        stats.latency_ms += world.cost_ms
        if stats.l2_lookups != lookups or stats.db_reads != db_reads:
            stats.l1_misses += 1
            if stats.l2_lookups == lookups:
                stats.db_reads_without_l2 += stats.db_reads - db_reads
        self._check(op, served)

    def _check(self, op: Op, served: object) -> None:
        world = self.world
        origin = world.origins.get(served) if isinstance(served, Profile) else None
        if origin is None:
            raise WrongAnswer(
                f"{op.instance}.get({op.user_id}) returned {served!r}, not a Profile from the "
                "database or L2: return their objects unchanged"
            )
        assert isinstance(served, Profile)
        if served.user_id != op.user_id:
            raise WrongAnswer(
                f"{op.instance}.get({op.user_id}) returned the profile of user {served.user_id}"
            )
        if origin.instance != op.instance:
            raise WrongAnswer(
                f"{op.instance} served a Profile object that {origin.instance} fetched from "
                f"{origin.layer}: the instances share memory. In production they are separate "
                "processes that share only L2, the database and the bus, so keep the L1 on the "
                "instance (self), not in a module or class attribute"
            )
        version = world.rows[op.user_id][0]
        if served.version < version:
            self._stale(op, served, origin)

    def _stale(self, op: Op, served: Profile, origin: Origin) -> None:
        stats = self.world.stats
        stats.stale += 1
        if stats.stale_example:
            return
        writer, at = self.world.written[op.user_id]
        version = self.world.rows[op.user_id][0]
        said = (
            f"{op.instance} served user {op.user_id} version {served.version} at request "
            f"{self.world.request:,}, but {writer} wrote version {version} at request {at:,}"
        )
        if origin.layer == "L2" and origin.request >= at:
            stats.stale_example = (
                f"{said}; {op.instance} read that old version from L2 after the write: delete "
                "the key from L2 in update() (or set the new version there)"
            )
        else:
            stats.stale_example = (
                f"{said}; it was still in {op.instance}'s L1 (fetched from {origin.layer} at "
                f"request {origin.request:,}): publish the key on the bus in update() and drop "
                "it from L1 in the subscriber, on every instance"
            )

    def _update(self, op: Op) -> None:
        stats = self.world.stats
        stats.updates += 1
        writes = self.db._writes
        before = len(writes)
        assert op.display_name is not None
        self.instances[op.instance].update(op.user_id, op.display_name)
        if writes[before:] != [(op.user_id, op.display_name)]:
            raise WrongAnswer(
                f"{op.instance}.update({op.user_id}, {op.display_name!r}) made the database "
                f"writes {writes[before:]}; it must write that name once before it returns"
            )


def replay(module: ModuleType, workload: Workload) -> Stats:
    """Run four instances from module through the workload."""
    return Replay(module, workload).run()


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def _mean(stats: Stats) -> float:
    return round(stats.latency_ms / stats.gets, 4) if stats.gets else 0.0


def db_detail(stats: Stats) -> str:
    """Where the database reads came from."""
    text = f"{stats.db_reads:,} database reads for {stats.requests:,} requests"
    if stats.db_reads_without_l2:
        return (
            f"{text}; {stats.db_reads_without_l2:,} of them without asking L2 first. Four "
            "instances each missing on their own pay the database four times for one key"
        )
    if stats.db_reads == 0:
        return f"{text}: L2 answered every L1 miss"
    if stats.l2_sets == 0:
        return (
            f"{text}, each after an L2 miss, and L2 was never written: after a database read, "
            "l2.set() what it returned, so the next miss on any instance finds it in L2"
        )
    return f"{text}, each after an L2 miss (a key deleted by an update, or not set yet)"


def l2_detail(stats: Stats) -> str:
    """Whether the L1 misses went to L2, and only they."""
    misses, lookups = stats.l1_misses, stats.l2_lookups
    if lookups == 0 and stats.l2_sets:
        return (
            f"L2 was written {stats.l2_sets:,} times and read 0 times: on an L1 miss, ask "
            "L2 first; only an L2 miss goes to the database"
        )
    if lookups == 0:
        return (
            f"{misses:,} L1 misses, 0 L2 lookups: every miss went to the database. Ask the "
            "shared L2 first, and store what the database returns in L2"
        )
    if lookups > misses:
        return (
            f"{lookups:,} L2 lookups for {misses:,} L1 misses: look L2 up once per miss, and "
            "not on an L1 hit"
        )
    if lookups < misses:
        return f"{misses - lookups:,} of {misses:,} L1 misses went to the database without L2"
    return f"{misses:,} L1 misses, each looked up in L2 exactly once"


def stale_detail(stats: Stats) -> str:
    """The first stale read, and which layer kept the old version."""
    return stats.stale_example or "every read on every instance saw the latest update"


def entries_detail(stats: Stats) -> str:
    """The largest L1, per instance."""
    worst = max(stats.peak, key=lambda name: stats.peak[name])
    peaks = ", ".join(f"{name} {peak}" for name, peak in stats.peak.items())
    if stats.peak[worst] <= L1_MAXSIZE:
        return f"peak profiles held per instance: {peaks} (l1_maxsize {L1_MAXSIZE})"
    return (
        f"{worst} held {stats.peak[worst]} profiles at once (after request "
        f"{stats.peak_at[worst]:,}), l1_maxsize {L1_MAXSIZE}: bound the L1 and evict the least "
        "recently used entry (OrderedDict, or cachetools.LRUCache)"
    )


def latency_detail(stats: Stats) -> str:
    """Mean read latency and what it is made of."""
    return (
        f"{stats.gets:,} reads, {stats.gets - stats.l1_misses:,} L1 hits (0 ms); simulated "
        f"costs: L2 call {L2_MS:g} ms, database read {DB_READ_MS:g} ms"
    )


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """The same seeded replay through the starter and the candidate."""
    workload = build_workload(ctx.rng("replay"), REQUESTS)
    base = replay(baseline, workload)
    got = replay(candidate, workload)
    metrics = {
        "db_reads_pct": Measured(
            _pct(got.db_reads, got.requests),
            _pct(base.db_reads, base.requests),
            detail=db_detail(got),
        ),
        "l2_lookups_per_l1_miss": Measured(
            round(got.l2_lookups / got.l1_misses, 4) if got.l1_misses else 1.0,
            round(base.l2_lookups / base.l1_misses, 4) if base.l1_misses else 1.0,
            detail=l2_detail(got),
        ),
        "stale_reads": Measured(got.stale, base.stale, detail=stale_detail(got)),
        "peak_l1_entries": Measured(
            max(got.peak.values()), max(base.peak.values()), detail=entries_detail(got)
        ),
        "mean_latency_ms": Measured(_mean(got), _mean(base), detail=latency_detail(got)),
    }
    notes = [
        f"This seed: {got.requests:,} requests ({got.updates} updates) over {N_USERS:,} users "
        f"(Zipf s={ZIPF_S}), routed at random to {len(INSTANCES)} instances; L2 starts warm, "
        f"every L1 starts empty (l1_maxsize {L1_MAXSIZE}).",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """A longer replay for the profilers, built outside the profile."""
    replayed = build_workload(ctx.rng("workload"), WORKLOAD_REQUESTS)
    return lambda: replay(module, replayed)
