"""Grader for cache-aside: a seeded Zipf replay on simulated time, every answer traced.

The replay runs in the subject (driver.py), beside the learner's Catalog, because its fake
repository answers thousands of reads and a round trip to this process per read would
cost more than the cache saves. The counting happens here:

* the repository logs every read and write to this process as it happens (an EventLog),
  numbered in sequence, and every Product it returns carries its number;
* the replay returns what each get() served: the Product's number and fields, or None;
* this bench generated the op list, so it knows the true version of every SKU and the
  simulated time at every step. It checks every logged read against that truth, traces
  every served Product to the logged read or write that returned it, and computes the
  backend reads, stale reads and expired reads itself.

A read kept off the log leaves a Product that no logged read explains, a changed row in
the fake shows as a read that contradicts the truth, and a counter reset shows as a gap
or a repeat in the numbering: each is a wrong answer. Peak entries is the one figure
measured in the subject (weak references to every Product, which only that process can
see).

Time is simulated (ticks of 1/1024 s, exact in binary floating point), so every number
is the same for the same code and seed.
"""

from __future__ import annotations

import itertools
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from perfcoach.driverkit import LocalLog
from perfcoach.labkit import (
    EventSink,
    Grade,
    LabBug,
    LabContext,
    Measured,
    Subject,
    Workload,
    WrongAnswer,
    load_module,
)

N_SKUS = 1000
ZIPF_S = 1.3
REQUESTS = 20_000
WORKLOAD_REQUESTS = 40_000
MAXSIZE = 400
TTL_S = 120.0
TICKS_PER_S = 1024  # simulated time moves in 1/1024 s steps: sums and comparisons are exact
MEAN_GAP_TICKS = 10  # about 10 ms between requests: 20,000 requests span about 200 s
UPDATE_SHARE = 0.01  # price changes made through Catalog.update()
EXTERNAL_SHARE = 0.003  # price changes the nightly importer writes straight to the database
ABSENT_SKUS = 20  # not launched yet: the repository answers None until they are created
LAUNCHES = 3  # popular SKUs read while absent, then created through update() mid-run
REPOSITORY_READ_MS = 5  # what one repository read would cost a real request


class Op(NamedTuple):
    """One step of the replay: a get, an update through the catalog, or an outside write.

    A tuple, so the list of ops goes to the driver as it is."""

    at: float
    kind: str  # "get" | "update" | "external"
    sku: str
    price_cents: int = 0


@dataclass
class Replay:
    """The seeded replay and the repository's starting rows."""

    rows: dict[str, tuple[int, int]]
    ops: list[Op]
    launched: list[str] = field(default_factory=list)

    def wire(self) -> tuple[tuple[float, str, str, int], ...]:
        """The ops as the driver receives them: plain tuples (at, kind, sku, price_cents)."""
        return tuple(map(tuple, self.ops))


def build_workload(rng: random.Random, requests: int) -> Replay:
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
    return Replay(rows, ops, launched)


@dataclass
class Stats:
    """What the replay did, all counted here from the log and the answers (deterministic)."""

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
    peak_entries: int = 0  # measured in the subject: products the cache kept alive
    peak_at: int = 0
    kept_floor: int = 0  # the fewest products held at once that explain the answers
    issued: int = 0  # products the repository returned: no more can be alive


TAMPERED = (
    "; the repository's record of its own reads and writes no longer adds up, so its "
    "internals were changed from outside read() and write(). Call those two and leave the "
    "rest of the repository alone"
)


class Audit:
    """Replays the truth beside the subject's log and answers; counts, or names the error."""

    def __init__(self, replay: Replay, result: Any, records: list[tuple[Any, ...]]) -> None:
        served, built, marks, peak, peak_at = _unpack(result, replay)
        self.replay = replay
        self.served = served
        self.marks = [built, *marks]  # the event count after building, then after each op
        self.records = records
        self.stats = Stats(peak_entries=peak, peak_at=peak_at)
        self.truth = dict(replay.rows)  # sku -> (version, price_cents), as it really is
        # event number -> (sku, version, price_cents, time, op number) of every Product
        self.issued: dict[int, tuple[str, int, int, float, int]] = {}
        self.last_served: dict[int, int] = {}  # event number -> op number of its last get()
        self.written: dict[str, tuple[int, float]] = {}  # sku -> version, time via update()
        self.none_at: dict[str, float] = {}
        self.last_fetch: dict[str, float] = {}
        self.last_change: dict[str, float] = {}

    def run(self) -> Stats:
        """Walk every op with the log records made during it; WrongAnswer on the first
        answer (or record) that cannot be right."""
        marks, stats, served = self.marks, self.stats, iter(self.served)
        if (
            any(type(mark) is not int for mark in marks)
            or marks[0] < 0
            or any(b < a for a, b in itertools.pairwise(marks))
            or marks[-1] != len(self.records)
        ):
            raise WrongAnswer(
                "the repository's event counter does not match its log (it was moved)" + TAMPERED
            )
        if self._records(0.0, 0, 0, marks[0]):
            raise WrongAnswer("Catalog() wrote to the repository; only update() may")
        for index, (op, start, end) in enumerate(
            zip(self.replay.ops, marks[:-1], marks[1:], strict=True), start=1
        ):
            writes = self._records(op.at, index, start, end) if end != start else None
            if op.kind == "get":
                stats.requests += 1
                stats.gets += 1
                if writes:
                    raise WrongAnswer(
                        f"get({op.sku!r}) wrote to the repository; only update() may change a price"
                    )
                self._check_read(op, index, next(served))
            elif op.kind == "update":
                stats.requests += 1
                stats.updates += 1
                if writes != [(op.sku, op.price_cents)]:
                    raise WrongAnswer(
                        f"update({op.sku!r}, {op.price_cents}) made the repository writes "
                        f"{writes or []}; it must write exactly that price once, before it "
                        "returns (the next read, on any server, must see it)"
                    )
                self.written[op.sku] = (self.truth[op.sku][0], op.at)
            else:  # another service's write, straight to the database: no catalog code runs
                if writes is not None:
                    raise WrongAnswer(
                        f"the repository was used at t={op.at:.3f} s, between requests" + TAMPERED
                    )
                self.truth[op.sku] = (self.truth.get(op.sku, (0, 0))[0] + 1, op.price_cents)
                self.last_change[op.sku] = op.at
        stats.kept_floor = self._kept_floor()
        stats.issued = len(self.issued)
        return stats

    def _kept_floor(self) -> int:
        """The fewest products any cache must have held at once to serve what was served: a
        Product served at a later op than the one that fetched it was alive in between."""
        change = [0] * (len(self.marks) + 1)
        for number, last in self.last_served.items():
            first = self.issued[number][4]
            if last > first:
                change[first] += 1
                change[last] -= 1
        return max(itertools.accumulate(change))

    def _records(self, now: float, index: int, start: int, end: int) -> list[tuple[str, int]]:
        """Check the log records made during one request (index 0: building the Catalog)
        against the truth; the writes they record, as (sku, price_cents)."""
        stats, truth, records = self.stats, self.truth, self.records
        writes = []
        for number in range(start + 1, end + 1):
            record = records[number - 1]
            if len(record) != 5 or record[1] != number:
                raise WrongAnswer(f"repository event #{number} is not the one it wrote" + TAMPERED)
            kind, _, sku, version, price = record
            if type(sku) is not str or type(version) is not int or type(price) is not int:
                raise WrongAnswer(f"repository event #{number} is not one it writes" + TAMPERED)
            held = truth.get(sku)
            if kind == "read":
                stats.backend_reads += 1
                last = self.last_fetch.get(sku)
                if last is None:
                    stats.first_reads += 1
                elif self.last_change.get(sku, -1.0) > last:
                    stats.reads_after_write += 1
                elif now - last >= TTL_S:
                    stats.reads_after_ttl += 1
                else:
                    stats.rereads += 1
                self.last_fetch[sku] = now
                answered = (version, price) if version else None
                if answered != held:
                    raise WrongAnswer(
                        f"the repository answered {sku} with {_row(answered)} at t={now:.3f} "
                        f"s, but it held {_row(held)}" + TAMPERED
                    )
                if version:
                    self.issued[number] = (sku, version, price, now, index)
                else:
                    self.none_at[sku] = now
            elif kind == "write":
                expected = (held[0] if held else 0) + 1
                if version != expected:
                    raise WrongAnswer(
                        f"the repository stored version {version} of {sku} where version "
                        f"{expected} was next" + TAMPERED
                    )
                truth[sku] = (version, price)
                self.last_change[sku] = now
                self.issued[number] = (sku, version, price, now, index)
                writes.append((sku, price))
            else:
                raise WrongAnswer(f"repository event #{number} is not one it writes" + TAMPERED)
        return writes

    def _check_read(self, op: Op, index: int, got: Any) -> None:
        sku, now = op.sku, op.at
        written = self.written.get(sku)
        if got is None:
            none_at = self.none_at.get(sku)
            if none_at is None:
                raise WrongAnswer(
                    f"get({sku!r}) returned None, but the repository never said {sku} is "
                    "missing: return what repository.read() returned"
                )
            if written is not None:  # update() created it after the repository said None
                self._stale(op, "None (not found)", written)
            self._expired(op, "None (not found)", now - none_at)
            return
        issued = self.issued.get(got[0]) if type(got) is tuple else None
        if issued is None:
            shown = got if isinstance(got, str) else f"Product{got[1:]!r}"
            raise WrongAnswer(
                f"get({sku!r}) returned {shown}, which is not a Product the repository "
                "returned: cache and return the repository's own objects"
            )
        if issued[0] != sku:
            raise WrongAnswer(f"get({sku!r}) returned the product for {issued[0]!r}")
        if got[1:] != issued[:3]:
            raise WrongAnswer(
                f"get({sku!r}) returned a Product whose fields were changed after the "
                f"repository returned it (version {issued[1]}, price_cents {issued[2]}): "
                "return it unchanged"
            )
        self.last_served[got[0]] = index
        if written is not None and issued[1] < written[0]:
            self._stale(op, f"version {issued[1]}", written)
        if now - issued[3] > TTL_S:
            self._expired(op, f"version {issued[1]}", now - issued[3])

    def _stale(self, op: Op, served: str, written: tuple[int, float]) -> None:
        stats = self.stats
        stats.stale += 1
        if not stats.stale_example:
            stats.stale_example = (
                f"{op.sku} served {served} at t={op.at:.3f} s, but update() wrote "
                f"version {written[0]} at t={written[1]:.3f} s"
            )

    def _expired(self, op: Op, served: str, age: float) -> None:
        if age <= TTL_S:
            return
        stats = self.stats
        stats.expired += 1
        over = age - TTL_S
        if over > stats.expired_worst:
            stats.expired_worst = over
            stats.expired_example = (
                f"{op.sku} {served} served at t={op.at:.3f} s, {age:.1f} s after the "
                "repository answered"
            )


def _unpack(result: Any, replay: Replay) -> tuple[list[Any], int, list[int], int, int]:
    """The driver's answer, shaped as the audit needs it (the driver is the lab's own)."""
    served, built, marks, peak, peak_at = result
    gets = sum(op.kind == "get" for op in replay.ops)
    if len(marks) != len(replay.ops) or len(served) != gets:
        raise WrongAnswer(
            f"the replay answered {len(served):,} of {gets:,} get() calls over {len(marks):,} "
            f"of {len(replay.ops):,} requests: something changed the replay's list of requests"
        )
    return list(served), built, list(marks), int(peak), int(peak_at)


def _row(row: tuple[int, int] | None) -> str:
    return "None (not found)" if row is None else f"version {row[0]} at {row[1]} cents"


def replay_on(side: Subject, ctx: LabContext, replay: Replay, ops: Any) -> Stats:
    """The learner's Catalog through the replay in its subject; audited here."""
    handle, sink = ctx.log()
    result = side.run("replay", handle, replay.rows, ops, MAXSIZE, TTL_S)
    return Audit(replay, result, sink.take()).run()


def replay_starter(ctx: LabContext, replay: Replay, ops: Any) -> Stats:
    """The starter through the same replay and the same audit, run here in the grader.

    The starter and the driver are the lab's own code, trusted like this bench; in a
    subject, the starter's 20,000 repository reads would cross the wire one event each.
    """
    driver = load_module(ctx.lab_dir / "driver.py", "cache_aside_driver")
    starter = load_module(ctx.lab_dir / "starter" / "catalog.py", "cache_aside_starter")
    sink = EventSink()
    result = driver.replay(starter, LocalLog(sink.append), replay.rows, ops, MAXSIZE, TTL_S)
    try:
        return Audit(replay, result, sink.take()).run()
    except WrongAnswer as exc:
        raise LabBug(f"the starter failed its own replay: {exc}") from None


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


def entries_untrusted(stats: Stats) -> str:
    """Why the peak counted in the subject cannot be right, when the log disproves it."""
    if stats.peak_entries > stats.issued:
        return (
            f"your process reported {stats.peak_entries} products alive at once, but the "
            f"repository only ever returned {stats.issued}: the count of live products in "
            "your process was disturbed"
        )
    if stats.peak_entries < stats.kept_floor:
        return (
            f"your process reported at most {stats.peak_entries} products alive at once, but "
            f"the answers prove {stats.kept_floor} were kept at once (each was served again by "
            "a later get() than the one that fetched it): the count of live products in your "
            "process was disturbed"
        )
    return ""


def grade(ctx: LabContext) -> Grade:
    """The same replay through the candidate and the starter; every answer traced here."""
    replay = build_workload(ctx.rng("replay"), REQUESTS)
    ops = replay.wire()
    with ThreadPoolExecutor(1) as pool:  # the starter runs here while the subject works
        starter = pool.submit(replay_starter, ctx, replay, ops)
        got = replay_on(ctx.candidate, ctx, replay, ops)
        base = starter.result()
    metrics = {
        "backend_reads_pct": Measured(
            _pct(got.backend_reads, got.requests),
            _pct(base.backend_reads, base.requests),
            detail=backend_detail(got),
        ),
        "stale_reads": Measured(got.stale, base.stale, detail=stale_detail(got)),
        "expired_reads": Measured(got.expired, base.expired, detail=expired_detail(got)),
        "peak_entries": Measured(
            got.peak_entries,
            base.peak_entries,
            detail=entries_detail(got),
            untrusted=entries_untrusted(got),
        ),
    }
    waited = [stats.backend_reads * REPOSITORY_READ_MS / 1000 for stats in (base, got)]
    notes = [
        f"This seed: {got.requests:,} requests ({got.updates} through update()) over "
        f"{replay.ops[-1].at:.0f} simulated seconds, {N_SKUS:,} SKUs with Zipf s={ZIPF_S}, "
        f"maxsize {MAXSIZE}, TTL {TTL_S:g} s; another service changed prices "
        f"{sum(op.kind == 'external' for op in replay.ops)} times behind the cache's back.",
        f"At {REPOSITORY_READ_MS} ms per repository read, the starter waited {waited[0]:,.1f} s "
        f"on the repository and yours {waited[1]:,.1f} s.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def workload(ctx: LabContext) -> Workload:
    """A longer replay for the profilers; the repository's log goes to a sink nobody reads."""
    replay = build_workload(ctx.rng("workload"), WORKLOAD_REQUESTS)
    handle, _sink = ctx.log()
    return Workload("replay", (handle, replay.rows, replay.wire(), MAXSIZE, TTL_S))
