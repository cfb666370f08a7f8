"""Grader for multi-layer-cache: four app instances, a shared L2, a database and a bus.

The replay runs in the subject (driver.py): four instances of the learner's ProfileService
over one fake database, one fake L2 (a Redis stand-in) and one invalidation bus, because
a round trip to this process per L2 call would cost more than the whole replay. The
counting happens here:

* the fakes log every database read and write and every L2 call to this process as it
  happens (an EventLog), numbered in sequence and tagged with the instance that made it,
  and every Profile they hand out carries its number;
* the replay returns what each get() served: the Profile's number and fields;
* this bench generated the requests, so it knows every user's true version at every
  step, and it keeps its own copy of what L2 holds from the logged sets and deletes. It
  checks every logged answer against that, traces every served Profile to the call that
  handed it out (to which instance, from which layer), and counts database reads, L2
  lookups per L1 miss, stale reads and the simulated latency of every read itself.

L2 lookups count per L1 miss only when a get() makes them: an instance that refreshes a
changed entry from L2 in its invalidation callback is not looking anything up for a read.
Peak L1 entries is the one figure measured in the subject (weak references to every
Profile, by the instance it was handed to), cross-checked against what the answers prove
each instance kept.
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

INSTANCES = ("app-1", "app-2", "app-3", "app-4")
N_USERS = 2000
ZIPF_S = 1.1
REQUESTS = 20_000
WORKLOAD_REQUESTS = 40_000
L1_MAXSIZE = 100
UPDATE_SHARE = 0.01
L2_MS = 0.5  # one round trip to the shared cache on the same LAN
DB_READ_MS = 20.0  # the profile query joins five tables
DB_WRITE_MS = 5.0
COST_MS = {
    "l2get": L2_MS,
    "l2set": L2_MS,
    "l2delete": L2_MS,
    "db": DB_READ_MS,
    "write": DB_WRITE_MS,
}
LAYERS = {"db": "the database", "l2get": "L2", "write": "a database write"}
NAMES = ("Ada", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena")


class Op(NamedTuple):
    """One request: a read or an update, routed to one instance. A tuple, so the list of
    ops goes to the driver as it is."""

    instance: str
    user_id: int
    display_name: str | None = None  # None for reads


@dataclass
class Replay:
    """The database's starting rows and the seeded requests."""

    rows: dict[int, tuple[int, str]]
    ops: list[Op]

    def wire(self) -> tuple[tuple[str, int, str | None], ...]:
        """The ops as the driver receives them: plain tuples."""
        return tuple(map(tuple, self.ops))


def build_workload(rng: random.Random, requests: int) -> Replay:
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
    return Replay(rows, ops)


@dataclass
class Stats:
    """Everything the replay did, counted here from the log and the answers."""

    requests: int = 0
    gets: int = 0
    updates: int = 0
    db_reads: int = 0
    db_reads_without_l2: int = 0
    l2_lookups: int = 0  # all of them, wherever they were made
    l2_lookups_in_gets: int = 0  # made by a get(): what "per L1 miss" means
    l2_sets: int = 0
    l1_misses: int = 0
    latency_ms: float = 0.0
    stale: int = 0
    stale_example: str = ""
    peak: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INSTANCES, 0))
    peak_at: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INSTANCES, 0))
    kept_floor: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INSTANCES, 0))
    issued: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INSTANCES, 0))


class Issued(NamedTuple):
    """A Profile the fakes handed out, as the log recorded it."""

    user_id: int
    version: int
    name: str
    instance: str
    layer: str  # "the database" | "L2" | "a database write"
    request: int  # 1-based; 0 while the instances were being built


@dataclass(slots=True)
class Calls:
    """What one request made the fakes do, from the log."""

    writes: list[tuple[int, str]] = field(default_factory=list)
    l2_gets: int = 0
    db_reads: int = 0
    cost_ms: float = 0.0


TAMPERED = (
    ": the fakes' record of their own calls no longer adds up, so their internals were "
    "changed from outside their methods. Call db, l2 and bus through their methods and "
    "leave the rest alone"
)


class Audit:
    """Walks the truth beside the subject's log and answers; counts, or names the error."""

    def __init__(self, replay: Replay, result: Any, records: list[tuple[Any, ...]]) -> None:
        self.replay = replay
        self.served, built, marks, peaks = _unpack(result, replay)
        self.marks = [built, *marks]
        self.records = records
        self.stats = Stats()
        for name in INSTANCES:
            self.stats.peak[name], self.stats.peak_at[name] = peaks[name]
        self.truth = dict(replay.rows)  # user_id -> (version, display_name)
        self.l2 = dict(replay.rows)  # what L2 holds: warm, then as sets and deletes left it
        self.issued: dict[int, Issued] = {}
        self.last_served: dict[int, int] = {}  # event number -> its last get()'s request
        self.written: dict[int, tuple[str, int]] = {}  # user_id -> (instance, request)

    def run(self) -> Stats:
        """Every op with the records made during it; WrongAnswer on the first answer (or
        record) that cannot be right."""
        marks, stats = self.marks, self.stats
        if (
            any(type(mark) is not int for mark in marks)
            or marks[0] < 0
            or any(b < a for a, b in itertools.pairwise(marks))
            or marks[-1] != len(self.records)
        ):
            raise WrongAnswer("the event counter does not match the log (it was moved)" + TAMPERED)
        if self._records(None, 0, 0, marks[0]).writes:
            raise WrongAnswer("ProfileService() wrote to the database; only update() may")
        served = iter(self.served)
        quiet = Calls()
        for number, (op, start, end) in enumerate(
            zip(self.replay.ops, marks[:-1], marks[1:], strict=True), start=1
        ):
            stats.requests += 1
            calls = self._records(op, number, start, end) if end != start else quiet
            if op.display_name is None:
                self._get(op, number, calls, next(served))
            else:
                stats.updates += 1
                if calls.writes != [(op.user_id, op.display_name)]:
                    raise WrongAnswer(
                        f"{op.instance}.update({op.user_id}, {op.display_name!r}) made the "
                        f"database writes {calls.writes}; it must write that name once "
                        "before it returns"
                    )
                self.written[op.user_id] = (op.instance, number)
        self._floor()
        return stats

    def _records(self, op: Op | None, number: int, start: int, end: int) -> Calls:
        """Check the records made during one op against the truth and L2's contents; the
        calls they record."""
        stats, truth, l2, records = self.stats, self.truth, self.l2, self.records
        counts = Calls()
        for event in range(start + 1, end + 1):
            record = records[event - 1]
            if len(record) != 6 or record[1] != event:
                raise WrongAnswer(f"event #{event} is not the one the fakes wrote" + TAMPERED)
            kind, _, user_id, value, name, instance = record
            if (
                kind not in COST_MS
                or not isinstance(user_id, int | str | float | bytes)
                or type(value) is not int
                or instance not in INSTANCES
            ):
                raise WrongAnswer(f"event #{event} is not one the fakes write" + TAMPERED)
            counts.cost_ms += COST_MS[kind]
            if kind == "l2get":
                stats.l2_lookups += 1
                counts.l2_gets += 1
                held = l2.get(user_id)
                if (held or (0, "")) != (value, name):
                    raise WrongAnswer(
                        f"L2 answered user {user_id} with {_row(value, name)}, but it held "
                        f"{_row(*held) if held else 'nothing'}" + TAMPERED
                    )
                if value:
                    self.issued[event] = Issued(user_id, value, name, instance, "L2", number)
            elif kind == "db":
                stats.db_reads += 1
                counts.db_reads += 1
                if truth.get(user_id) != (value, name):
                    raise WrongAnswer(
                        f"the database answered user {user_id} with {_row(value, name)}, but "
                        f"it held {_row(*truth.get(user_id, (0, '')))}" + TAMPERED
                    )
                self.issued[event] = Issued(user_id, value, name, instance, LAYERS[kind], number)
            elif kind == "write":
                expected = truth.get(user_id, (-1, ""))[0] + 1
                if value != expected:
                    raise WrongAnswer(
                        f"the database stored version {value} of user {user_id} where "
                        f"version {expected} was next" + TAMPERED
                    )
                truth[user_id] = (value, name)
                counts.writes.append((user_id, name))
                self.issued[event] = Issued(user_id, value, name, instance, LAYERS[kind], number)
            elif kind == "l2set":
                stats.l2_sets += 1
                stored = self.issued.get(value)
                if stored is None or stored.user_id != user_id:
                    raise WrongAnswer(
                        f"{instance} called l2.set({user_id}, …) with something that is not "
                        "a Profile the database or L2 handed out for that user: store the "
                        "Profile the database returned"
                    )
                l2[user_id] = (stored.version, stored.name)
            else:
                l2.pop(user_id, None)
        if op is not None and op.display_name is None and counts.writes:
            raise WrongAnswer(
                f"{op.instance}.get({op.user_id}) wrote to the database; only update() may"
            )
        return counts

    def _get(self, op: Op, number: int, calls: Calls, got: Any) -> None:
        stats = self.stats
        stats.gets += 1
        stats.latency_ms += calls.cost_ms
        if calls.l2_gets or calls.db_reads:
            stats.l1_misses += 1
            stats.l2_lookups_in_gets += calls.l2_gets
            if not calls.l2_gets:
                stats.db_reads_without_l2 += calls.db_reads
        issued = self.issued.get(got[0]) if type(got) is tuple else None
        if issued is None:
            shown = got if isinstance(got, str) else f"Profile{got[1:]!r}"
            raise WrongAnswer(
                f"{op.instance}.get({op.user_id}) returned {shown}, not a Profile from the "
                "database or L2: return their objects unchanged"
            )
        if issued.user_id != op.user_id:
            raise WrongAnswer(
                f"{op.instance}.get({op.user_id}) returned the profile of user {issued.user_id}"
            )
        if issued.instance != op.instance:
            raise WrongAnswer(
                f"{op.instance} served a Profile object that {issued.instance} fetched from "
                f"{issued.layer}: the instances share memory. In production they are separate "
                "processes that share only L2, the database and the bus, so keep the L1 on the "
                "instance (self), not in a module or class attribute"
            )
        if got[1:] != issued[:3]:
            raise WrongAnswer(
                f"{op.instance}.get({op.user_id}) returned a Profile whose fields were changed "
                f"after it was handed out (version {issued.version}, {issued.name!r}): return "
                "it unchanged"
            )
        self.last_served[got[0]] = number
        if issued.version < self.truth[op.user_id][0]:
            self._stale(op, number, issued)

    def _stale(self, op: Op, number: int, served: Issued) -> None:
        stats = self.stats
        stats.stale += 1
        if stats.stale_example:
            return
        writer, at = self.written[op.user_id]
        version = self.truth[op.user_id][0]
        said = (
            f"{op.instance} served user {op.user_id} version {served.version} at request "
            f"{number:,}, but {writer} wrote version {version} at request {at:,}"
        )
        if served.layer == "L2" and served.request >= at:
            stats.stale_example = (
                f"{said}; {op.instance} read that old version from L2 after the write: delete "
                "the key from L2 in update() (or set the new version there)"
            )
        else:
            stats.stale_example = (
                f"{said}; it was still in {op.instance}'s L1 (fetched from {served.layer} at "
                f"request {served.request:,}): publish the key on the bus in update() and drop "
                "it from L1 in the subscriber, on every instance"
            )

    def _floor(self) -> None:
        """The fewest profiles each instance must have held at once to serve what it served:
        a Profile served at a later request than the one that fetched it was alive between."""
        change = {name: [0] * (len(self.marks) + 1) for name in INSTANCES}
        for event, last in self.last_served.items():
            issued = self.issued[event]
            if last > issued.request:
                change[issued.instance][issued.request] += 1
                change[issued.instance][last] -= 1
        for name, steps in change.items():
            self.stats.kept_floor[name] = max(itertools.accumulate(steps))
        for issued in self.issued.values():
            self.stats.issued[issued.instance] += 1


def _unpack(
    result: Any, replay: Replay
) -> tuple[list[Any], int, list[int], dict[str, tuple[int, int]]]:
    """The driver's answer, shaped as the audit needs it (the driver is the lab's own)."""
    served, built, marks, peaks = result
    gets = sum(op.display_name is None for op in replay.ops)
    if len(marks) != len(replay.ops) or len(served) != gets or set(peaks) != set(INSTANCES):
        raise WrongAnswer(
            f"the replay answered {len(served):,} of {gets:,} get() calls over {len(marks):,} "
            f"of {len(replay.ops):,} requests: something changed the replay's list of requests"
        )
    return list(served), built, list(marks), {name: tuple(peaks[name]) for name in INSTANCES}


def _row(version: int, name: str) -> str:
    return f"version {version} ({name!r})" if version else "nothing"


def replay_on(side: Subject, ctx: LabContext, replay: Replay, ops: Any) -> Stats:
    """Four instances of the learner's ProfileService through the replay; audited here."""
    handle, sink = ctx.log()
    result = side.run("replay", handle, replay.rows, ops, INSTANCES, L1_MAXSIZE)
    return Audit(replay, result, sink.take()).run()


def replay_starter(ctx: LabContext, replay: Replay, ops: Any) -> Stats:
    """The starter through the same replay and the same audit, run here in the grader.

    The starter and the driver are the lab's own code, trusted like this bench; in a
    subject, the starter's 9,000 database reads would cross the wire one event each.
    """
    driver = load_module(ctx.lab_dir / "driver.py", "multi_layer_cache_driver")
    starter = load_module(ctx.lab_dir / "starter" / "profiles.py", "multi_layer_cache_starter")
    sink = EventSink()
    result = driver.replay(starter, LocalLog(sink.append), replay.rows, ops, INSTANCES, L1_MAXSIZE)
    try:
        return Audit(replay, result, sink.take()).run()
    except WrongAnswer as exc:
        raise LabBug(f"the starter failed its own replay: {exc}") from None


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def _mean(stats: Stats) -> float:
    return round(stats.latency_ms / stats.gets, 4) if stats.gets else 0.0


def _per_miss(stats: Stats) -> float:
    return round(stats.l2_lookups_in_gets / stats.l1_misses, 4) if stats.l1_misses else 1.0


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
    misses, lookups = stats.l1_misses, stats.l2_lookups_in_gets
    elsewhere = stats.l2_lookups - lookups
    besides = (
        f" ({elsewhere:,} more outside get(), in invalidation callbacks or construction: "
        "not lookups for a read)"
        if elsewhere
        else ""
    )
    if lookups == 0 and stats.l2_sets:
        return (
            f"L2 was written {stats.l2_sets:,} times and read 0 times by get(): on an L1 miss, "
            "ask L2 first; only an L2 miss goes to the database"
        )
    if lookups == 0:
        return (
            f"{misses:,} L1 misses, 0 L2 lookups: every miss went to the database. Ask the "
            "shared L2 first, and store what the database returns in L2"
        )
    if lookups > misses:
        return (
            f"{lookups:,} L2 lookups by get() for {misses:,} L1 misses: look L2 up once per "
            f"miss, and not on an L1 hit{besides}"
        )
    if lookups < misses:
        return f"{misses - lookups:,} of {misses:,} L1 misses went to the database without L2"
    return f"{misses:,} L1 misses, each looked up in L2 exactly once{besides}"


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


def entries_untrusted(stats: Stats) -> str:
    """Why a peak counted in the subject cannot be right, when the log disproves it."""
    for name in INSTANCES:
        if stats.peak[name] > stats.issued[name]:
            return (
                f"your process reported {stats.peak[name]} profiles alive at once on {name}, "
                f"but the database and L2 only ever handed it {stats.issued[name]}: the count "
                "of live profiles in your process was disturbed"
            )
        if stats.peak[name] < stats.kept_floor[name]:
            return (
                f"your process reported at most {stats.peak[name]} profiles alive at once on "
                f"{name}, but its answers prove {stats.kept_floor[name]} were kept at once "
                "(each was served again by a later get() than the one that fetched it): the "
                "count of live profiles in your process was disturbed"
            )
    return ""


def latency_detail(stats: Stats) -> str:
    """Mean read latency and what it is made of."""
    return (
        f"{stats.gets:,} reads, {stats.gets - stats.l1_misses:,} L1 hits (0 ms); simulated "
        f"costs: L2 call {L2_MS:g} ms, database read {DB_READ_MS:g} ms"
    )


def grade(ctx: LabContext) -> Grade:
    """The same seeded replay through the candidate and the starter; every answer traced."""
    replay = build_workload(ctx.rng("replay"), REQUESTS)
    ops = replay.wire()
    with ThreadPoolExecutor(1) as pool:  # the starter runs here while the subject works
        starter = pool.submit(replay_starter, ctx, replay, ops)
        got = replay_on(ctx.candidate, ctx, replay, ops)
        base = starter.result()
    metrics = {
        "db_reads_pct": Measured(
            _pct(got.db_reads, got.requests),
            _pct(base.db_reads, base.requests),
            detail=db_detail(got),
        ),
        "l2_lookups_per_l1_miss": Measured(_per_miss(got), _per_miss(base), detail=l2_detail(got)),
        "stale_reads": Measured(got.stale, base.stale, detail=stale_detail(got)),
        "peak_l1_entries": Measured(
            max(got.peak.values()),
            max(base.peak.values()),
            detail=entries_detail(got),
            untrusted=entries_untrusted(got),
        ),
        "mean_latency_ms": Measured(_mean(got), _mean(base), detail=latency_detail(got)),
    }
    notes = [
        f"This seed: {got.requests:,} requests ({got.updates} updates) over {N_USERS:,} users "
        f"(Zipf s={ZIPF_S}), routed at random to {len(INSTANCES)} instances; L2 starts warm, "
        f"every L1 starts empty (l1_maxsize {L1_MAXSIZE}).",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def workload(ctx: LabContext) -> Workload:
    """A longer replay for the profilers; the fakes' log goes to a sink nobody reads."""
    replay = build_workload(ctx.rng("workload"), WORKLOAD_REQUESTS)
    handle, _sink = ctx.log()
    return Workload("replay", (handle, replay.rows, replay.wire(), INSTANCES, L1_MAXSIZE))
