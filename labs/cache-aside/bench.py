"""Grader for cache-aside: a seeded Zipf replay on simulated time, every read checked.

The bench hands the learner's Catalog a repository it instruments (every read counted,
every product it returns a fresh, versioned object), a clock that only the bench moves,
a maxsize and a TTL. It replays a seeded mix of reads and price updates, plus writes by
another service straight into the repository, and checks every value get() returns:

* stale: older than the last version written through update() (which the cache saw);
* expired: fetched from the repository more than TTL seconds before it was served;
* entries: products are tracked with weak references, so the number still alive after
  each request is the number the cache holds, whatever structure holds them.

Time is simulated (ticks of 1/1024 s, exact in binary floating point), so every number
is the same for the same code and seed.
"""

from __future__ import annotations

import itertools
import random
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer

N_SKUS = 1000
ZIPF_S = 1.3
REQUESTS = 40_000
WORKLOAD_REQUESTS = 120_000
MAXSIZE = 400
TTL_S = 120.0
TICKS_PER_S = 1024  # simulated time moves in 1/1024 s steps: sums and comparisons are exact
MEAN_GAP_TICKS = 5  # about 5 ms between requests: 40,000 requests span about 200 s
UPDATE_SHARE = 0.01  # price changes made through Catalog.update()
EXTERNAL_SHARE = 0.003  # price changes the nightly importer writes straight to the database
ABSENT_SKUS = 20  # not launched yet: the repository answers None until they are created
LAUNCHES = 3  # popular SKUs read while absent, then created through update() mid-run
REPOSITORY_READ_MS = 5  # what one repository read would cost a real request


class Product:
    """One version of a product row, as the repository returns it. Do not modify it."""

    __slots__ = ("__weakref__", "price_cents", "sku", "version")

    def __init__(self, sku: str, version: int, price_cents: int) -> None:
        self.sku = sku
        self.version = version
        self.price_cents = price_cents

    def __repr__(self) -> str:
        return f"Product({self.sku!r}, version={self.version}, price_cents={self.price_cents})"


class SimClock:
    """The simulated time in seconds; only the bench advances it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Stats:
    """What the replay saw, all counts (deterministic)."""

    requests: int = 0
    gets: int = 0
    updates: int = 0
    backend_reads: int = 0
    first_reads: int = 0
    reads_after_ttl: int = 0
    reads_after_write: int = 0
    rereads: int = 0  # a fresh copy was fetched less than TTL ago: evicted or never kept
    stale: int = 0
    stale_example: str = ""
    expired: int = 0
    expired_worst: float = 0.0
    expired_example: str = ""
    peak_entries: int = 0
    peak_at: int = 0


class Repository:
    """The slow product repository: read() and write() are the whole public API."""

    def __init__(self, rows: dict[str, tuple[int, int]], clock: SimClock, stats: Stats) -> None:
        self._rows = dict(rows)  # sku -> (version, price_cents)
        self._clock = clock
        self._stats = stats
        self._issued: weakref.WeakKeyDictionary[Product, float] = weakref.WeakKeyDictionary()
        self._last_fetch: dict[str, float] = {}
        self._last_change: dict[str, float] = {}
        self._none_at: dict[str, float] = {}
        self._writes: list[tuple[str, int]] = []

    def read(self, sku: str) -> Product | None:
        """The current product row, or None if there is no such SKU. Slow: counted."""
        now = self._clock.now
        stats = self._stats
        stats.backend_reads += 1
        last = self._last_fetch.get(sku)
        if last is None:
            stats.first_reads += 1
        elif self._last_change.get(sku, -1.0) > last:
            stats.reads_after_write += 1
        elif now - last >= TTL_S:
            stats.reads_after_ttl += 1
        else:
            stats.rereads += 1
        self._last_fetch[sku] = now
        row = self._rows.get(sku)
        if row is None:
            self._none_at[sku] = now
            return None
        return self._issue(sku, *row)

    def write(self, sku: str, price_cents: int) -> Product:
        """Store a new price (creating the SKU if needed); returns the new version."""
        version = self._store(sku, price_cents)
        self._writes.append((sku, price_cents))
        return self._issue(sku, version, price_cents)

    def _store(self, sku: str, price_cents: int) -> int:
        version = self._rows.get(sku, (0, 0))[0] + 1
        self._rows[sku] = (version, price_cents)
        self._last_change[sku] = self._clock.now
        return version

    def _issue(self, sku: str, version: int, price_cents: int) -> Product:
        product = Product(sku, version, price_cents)
        self._issued[product] = self._clock.now
        return product


@dataclass(frozen=True)
class Op:
    """One step of the replay: a get, an update through the catalog, or an outside write."""

    at: float
    kind: str  # "get" | "update" | "external"
    sku: str
    price_cents: int = 0


@dataclass
class Workload:
    """The seeded replay and the repository's starting rows."""

    rows: dict[str, tuple[int, int]]
    ops: list[Op]
    launched: list[str] = field(default_factory=list)


def build_workload(rng: random.Random, requests: int) -> Workload:
    """Zipf-distributed reads and updates over N_SKUS, with launches and outside writes.

    Popularity rank is a random permutation of the SKU numbers, so nothing about a SKU's
    name says how hot it is. A few popular SKUs start absent, are read (the repository
    answers None), and are created through update() a third of the way in.
    """
    skus = [f"SKU-{n:05d}" for n in rng.sample(range(10_000, 100_000), N_SKUS)]
    weights = list(itertools.accumulate(1 / (rank + 1) ** ZIPF_S for rank in range(N_SKUS)))
    launched = [skus[rank] for rank in rng.sample(range(3, 40), LAUNCHES)]
    absent = set(launched) | set(rng.sample(skus, ABSENT_SKUS - LAUNCHES))
    rows = {sku: (1, rng.randint(199, 99_999)) for sku in skus if sku not in absent}
    present = sorted(rows)
    picks = rng.choices(skus, cum_weights=weights, k=requests)
    ops: list[Op] = []
    ticks = 0
    launch_at = {requests // 3 + 97 * i: sku for i, sku in enumerate(launched)}
    for index, sku in enumerate(picks):
        ticks += max(1, round(rng.expovariate(1 / MEAN_GAP_TICKS)))
        at = ticks / TICKS_PER_S
        if index in launch_at:
            ops.append(Op(at, "update", launch_at[index], rng.randint(199, 99_999)))
            continue
        if rng.random() < EXTERNAL_SHARE:
            ops.append(Op(at, "external", rng.choice(present), rng.randint(199, 99_999)))
        if rng.random() < UPDATE_SHARE:
            ops.append(Op(at, "update", sku, rng.randint(199, 99_999)))
        else:
            ops.append(Op(at, "get", sku))
    return Workload(rows, ops, launched)


class Replay:
    """Drives one Catalog through a workload and checks every answer against the truth."""

    def __init__(self, module: ModuleType, workload: Workload) -> None:
        self.clock = SimClock()
        self.stats = Stats()
        self.repository = Repository(workload.rows, self.clock, self.stats)
        self.written: dict[str, tuple[int, float]] = {}  # sku -> version, time via update()
        self.workload = workload
        self.catalog = module.Catalog(self.repository, self.clock, MAXSIZE, TTL_S)

    def run(self) -> Stats:
        """Replay every op; raise WrongAnswer on the first answer that is simply wrong."""
        repository, stats, clock = self.repository, self.stats, self.clock
        issued = repository._issued
        for op in self.workload.ops:
            clock.now = op.at
            if op.kind == "get":
                stats.requests += 1
                stats.gets += 1
                self._check_read(op.sku, self.catalog.get(op.sku))
            elif op.kind == "update":
                stats.requests += 1
                stats.updates += 1
                self._update(op)
            else:
                repository._store(op.sku, op.price_cents)
            if len(issued) > stats.peak_entries:
                stats.peak_entries = len(issued)
                stats.peak_at = stats.requests
        return stats

    def _update(self, op: Op) -> None:
        before = len(self.repository._writes)
        self.catalog.update(op.sku, op.price_cents)
        writes = self.repository._writes[before:]
        if writes != [(op.sku, op.price_cents)]:
            raise WrongAnswer(
                f"update({op.sku!r}, {op.price_cents}) made the repository writes {writes}; "
                "it must write exactly that price once, before it returns (the next read, on "
                "any server, must see it)"
            )
        self.written[op.sku] = (self.repository._rows[op.sku][0], op.at)

    def _check_read(self, sku: str, got: object) -> None:
        now = self.clock.now
        written = self.written.get(sku)
        if got is None:
            none_at = self.repository._none_at.get(sku)
            if none_at is None:
                raise WrongAnswer(
                    f"get({sku!r}) returned None, but the repository never said {sku} is "
                    "missing: return what repository.read() returned"
                )
            if written is not None:  # update() created it after the repository said None
                self._stale(sku, "None (not found)", written)
            self._expired(sku, "None (not found)", now - none_at)
            return
        fetched_at = self.repository._issued.get(got) if isinstance(got, Product) else None
        if fetched_at is None:
            raise WrongAnswer(
                f"get({sku!r}) returned {got!r}, which is not a Product the repository "
                "returned: cache and return the repository's own objects"
            )
        assert isinstance(got, Product)
        if got.sku != sku:
            raise WrongAnswer(f"get({sku!r}) returned the product for {got.sku!r}")
        if written is not None and got.version < written[0]:
            self._stale(sku, f"version {got.version}", written)
        self._expired(sku, f"version {got.version}", now - fetched_at)

    def _stale(self, sku: str, served: str, written: tuple[int, float]) -> None:
        stats = self.stats
        stats.stale += 1
        if not stats.stale_example:
            stats.stale_example = (
                f"{sku} served {served} at t={self.clock.now:.3f} s, but update() wrote "
                f"version {written[0]} at t={written[1]:.3f} s"
            )

    def _expired(self, sku: str, served: str, age: float) -> None:
        if age <= TTL_S:
            return
        stats = self.stats
        stats.expired += 1
        over = age - TTL_S
        if over > stats.expired_worst:
            stats.expired_worst = over
            stats.expired_example = (
                f"{sku} {served} served at t={self.clock.now:.3f} s, {age:.1f} s after the "
                "repository answered"
            )


def replay(module: ModuleType, workload: Workload) -> Stats:
    """Run one Catalog from module through the workload."""
    return Replay(module, workload).run()


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def backend_detail(stats: Stats) -> str:
    """Why the repository was read: the misses a cache cannot avoid, and the ones it can."""
    if stats.backend_reads >= stats.gets:
        return (
            f"{stats.backend_reads:,} repository reads for {stats.gets:,} get() calls: every "
            "read goes to the repository. Keep what you read, keyed by SKU"
        )
    return (
        f"{stats.backend_reads:,} reads for {stats.requests:,} requests: {stats.first_reads:,} "
        f"first reads, {stats.reads_after_write:,} after a write, {stats.reads_after_ttl:,} "
        f"after the TTL, {stats.rereads:,} re-reads of SKUs fetched < TTL ago (evicted, or never "
        "kept)"
    )


def stale_detail(stats: Stats) -> str:
    """Name the first stale read, with the versions, and the fix."""
    if not stats.stale:
        return "every read after an update() saw that update"
    return (
        f"{stats.stale_example}. update() knows the cached copy is now wrong: delete it "
        "(or replace it with the product write() returns), and do the same for a cached None"
    )


def expired_detail(stats: Stats) -> str:
    """Say by how much the worst expired read overshot the TTL."""
    if not stats.expired:
        return f"no entry served more than {TTL_S:g} s after it was fetched"
    return (
        f"worst: {stats.expired_example}, {stats.expired_worst:.1f} s past the TTL of "
        f"{TTL_S:g} s. Writes by other services reach the repository only; the TTL is what "
        "bounds how long the cache can miss them. Check the age with clock() (simulated time, "
        "not time.time()) on every hit, or use cachetools.TTLCache with timer=clock"
    )


def entries_detail(stats: Stats) -> str:
    """Say the peak and when it happened."""
    if stats.peak_entries <= MAXSIZE:
        return f"at most {stats.peak_entries} products held at once (maxsize {MAXSIZE})"
    return (
        f"{stats.peak_entries} products held at once (after request {stats.peak_at:,}), "
        f"maxsize {MAXSIZE}: a cache without eviction grows with every SKU it has seen. "
        "Evict the least recently used entry when it is full (OrderedDict, or cachetools)"
    )


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """Replay the same workload through the starter and the candidate; compare the counts."""
    workload = build_workload(ctx.rng("replay"), REQUESTS)
    base = replay(baseline, workload)
    got = replay(candidate, workload)
    metrics = {
        "backend_reads_pct": Measured(
            _pct(got.backend_reads, got.requests),
            _pct(base.backend_reads, base.requests),
            detail=backend_detail(got),
        ),
        "stale_reads": Measured(got.stale, base.stale, detail=stale_detail(got)),
        "expired_reads": Measured(got.expired, base.expired, detail=expired_detail(got)),
        "peak_entries": Measured(got.peak_entries, base.peak_entries, detail=entries_detail(got)),
    }
    waited = [stats.backend_reads * REPOSITORY_READ_MS / 1000 for stats in (base, got)]
    notes = [
        f"This seed: {got.requests:,} requests ({got.updates} through update()) over "
        f"{workload.ops[-1].at:.0f} simulated seconds, {N_SKUS:,} SKUs with Zipf s={ZIPF_S}, "
        f"maxsize {MAXSIZE}, TTL {TTL_S:g} s; another service changed prices "
        f"{sum(op.kind == 'external' for op in workload.ops)} times behind the cache's back.",
        f"At {REPOSITORY_READ_MS} ms per repository read, the starter waited {waited[0]:,.1f} s "
        f"on the repository and yours {waited[1]:,.1f} s.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """A longer replay for the profilers; the workload is built here, outside the profile."""
    replayed = build_workload(ctx.rng("workload"), WORKLOAD_REQUESTS)
    return lambda: replay(module, replayed)
