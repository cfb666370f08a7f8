"""Read-replica simulation: a primary, replicas that apply its log late, and a read router.

The engine owns what a router never sees ahead: when each replica applies each write
(a small per-replica delay with jitter, lag spikes in which a replica falls 1.3-1.8 s
behind and then catches up, and one replica that stalls for seconds while it keeps
answering queries). Sessions write (to the primary, which gives each write the next log
position) and read; the router decides where each read goes, the primary or a replica.

The router is a callable that gets one `Batch` per report period, what a real router
observes, and returns one target per read of the batch:

* each replica's applied position and lag as it reported them at the period's start
  (replicas report every REPORT_MS, as a monitor polling `pg_last_wal_replay_lsn()` or
  `Seconds_Behind_Source` would), and the primary's position then;
* the answers of the previous period's reads: which position each one reflected;
* the period's operations in order: a write with the position the primary gave it, or a
  read to route.

A read on the primary sees every write committed before it; on a replica, what that
replica had applied when the read reached it. Nothing queues, so the replicas' timing does
not depend on the router, and same scenario and same decisions give the same numbers:
nothing here reads a clock or sleeps.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

REPLICAS = 3
PRIMARY = "primary"  # a read routed to the primary; a replica is its number, 0 .. REPLICAS - 1
REPORT_MS = 100.0  # replicas report their applied position and lag this often
LAG_BOUND_MS = 2_000.0  # a replica reporting more lag than this is too stale to read from
STALE_MS = LAG_BOUND_MS + REPORT_MS  # a read this far behind is stale: a replica reported
# under the bound at the period's start can have fallen at most one period further behind
DURATION_MS = 20_000.0
BASE_DELAYS_MS = ((15.0, 30.0), (35.0, 60.0), (70.0, 110.0))  # one range per replica
JITTER_MS = 10.0  # mean of the exponential jitter on each write's apply delay
JITTER_CAP_MS = 40.0
SPIKE_PEAK_MS = (1_300.0, 1_800.0)  # a lag spike: writes committed in its window apply late
SPIKE_HOLD_MS = (1_000.0, 1_500.0)
STALL_MS = (3_500.0, 4_500.0)  # the stalled replica applies nothing for this long
FIRST_SESSIONS = 120  # sessions already active at the start
SESSIONS_PER_S = 20.0  # new sessions arriving, Poisson
MEAN_OPS = 12  # operations per session, geometric
MIN_GAP_MS = REPORT_MS  # a session's next operation comes at least a period later
MEAN_EXTRA_GAP_MS = 400.0  # ... plus an exponential think time
WRITE_SHARE = 0.2  # of a session's operations after its first (a read)


@dataclass(frozen=True)
class Window:
    """A stretch of simulated time [start, end) in which one replica misbehaves."""

    replica: int
    start: float
    end: float
    peak: float = 0.0  # a spike's apply delay; 0 for a stall

    def covers(self, at: float) -> bool:
        """Whether the window is open at time at."""
        return self.start <= at < self.end


@dataclass(frozen=True)
class Op:
    """One operation of a session: a write (its log position) or a read (position 0)."""

    at: float
    session: int
    position: int

    @property
    def write(self) -> bool:
        """Whether this is a write (reads carry no position)."""
        return self.position > 0


@dataclass(frozen=True)
class Scenario:
    """One seeded workload and replica schedule: what the engine knows and the router never
    sees ahead. applies[r][i] is when replica r applied write i (the write at position
    i + 1); commits[i] is when the primary committed it."""

    ops: tuple[Op, ...]
    commits: tuple[float, ...]
    applies: tuple[tuple[float, ...], ...]
    spikes: tuple[Window, ...]
    stall: Window
    bases: tuple[float, ...]

    @property
    def reads(self) -> int:
        """How many reads the router places."""
        return sum(1 for op in self.ops if not op.write)

    def primary(self, at: float) -> int:
        """The primary's position at time at: the writes committed by then."""
        return bisect.bisect_right(self.commits, at)

    def applied(self, replica: int, at: float) -> int:
        """The position replica had applied by time at."""
        return bisect.bisect_right(self.applies[replica], at)

    def lag(self, replica: int, at: float) -> float:
        """How far behind the replica is at time at: the age of its oldest write not yet
        applied (0 when it has applied every write committed), as replicas report it."""
        done = self.applied(replica, at)
        if done >= self.primary(at):
            return 0.0
        return at - self.commits[done]


def _sessions(rng: random.Random) -> list[Op]:
    """Every session's operations, merged in time order; positions are given in order."""
    starts = [rng.uniform(0.0, 500.0) for _ in range(FIRST_SESSIONS)]
    at = 0.0
    while True:
        at += rng.expovariate(SESSIONS_PER_S / 1000.0)
        if at >= DURATION_MS:
            break
        starts.append(at)
    raw: list[tuple[float, int, bool]] = []
    for session, first in enumerate(starts):
        t = first
        ops = 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - 1.0 / MEAN_OPS))
        for n in range(ops):
            if t >= DURATION_MS:
                break
            raw.append((round(t, 3), session, n > 0 and rng.random() < WRITE_SHARE))
            t += MIN_GAP_MS + rng.expovariate(1.0 / MEAN_EXTRA_GAP_MS)
    raw.sort(key=lambda op: (op[0], op[1]))
    position = 0
    out: list[Op] = []
    for t, session, write in raw:
        if write:
            position += 1
        out.append(Op(t, session, position if write else 0))
    return out


def _windows(rng: random.Random) -> tuple[tuple[Window, ...], Window]:
    """Two lag spikes and a stall, one per replica, one after the other."""
    kinds = ["stall", "spike", "spike"]
    rng.shuffle(kinds)
    replicas = list(range(REPLICAS))
    rng.shuffle(replicas)
    spikes: list[Window] = []
    stall = Window(0, 0.0, 0.0)
    at = rng.uniform(1_500.0, 2_500.0)
    for kind, replica in zip(kinds, replicas, strict=True):
        if kind == "stall":
            stall = Window(replica, at, at + rng.uniform(*STALL_MS))
            at = stall.end
        else:
            peak = rng.uniform(*SPIKE_PEAK_MS)
            spike = Window(replica, at, at + rng.uniform(*SPIKE_HOLD_MS), peak)
            spikes.append(spike)
            at = spike.end + peak
        at += rng.uniform(500.0, 1_500.0)
    return tuple(spikes), stall


def _applies(
    rng: random.Random, replica: int, base: float, commits: Sequence[float],
    spikes: Sequence[Window], stall: Window,
) -> tuple[float, ...]:  # fmt: skip
    """When replica applies each write, in log order (a replica applies its log in order)."""
    mine = [w for w in spikes if w.replica == replica]
    out: list[float] = []
    last = 0.0
    for commit in commits:
        delay = base + min(JITTER_CAP_MS, rng.expovariate(1.0 / JITTER_MS))
        for spike in mine:
            if spike.covers(commit):
                delay = spike.peak
        last = max(last, commit + delay)
        if stall.replica == replica and stall.covers(last):
            last = stall.end
        out.append(last)
    return tuple(out)


def scenario(rng: random.Random) -> Scenario:
    """A seeded workload and replica schedule."""
    ops = _sessions(rng)
    commits = tuple(op.at for op in ops if op.write)
    spikes, stall = _windows(rng)
    bases = [rng.uniform(*r) for r in BASE_DELAYS_MS]
    rng.shuffle(bases)
    applies = tuple(_applies(rng, r, bases[r], commits, spikes, stall) for r in range(REPLICAS))
    return Scenario(tuple(ops), commits, applies, spikes, stall, tuple(bases))


@dataclass(frozen=True)
class Batch:
    """What the router learns at one report: the replicas' report, the previous period's
    read answers (session, target, position seen), and the period's operations."""

    now: float
    applied: tuple[int, ...]
    lag_ms: tuple[float, ...]
    primary: int
    answers: tuple[tuple[int, Any, int], ...]
    ops: tuple[tuple[float, int, int], ...]

    @property
    def reads(self) -> int:
        """How many reads the batch asks to route."""
        return sum(1 for _, _, position in self.ops if position == 0)

    def wire(self) -> tuple[Any, ...]:
        """Plain data for the subject."""
        return (self.now, self.applied, self.lag_ms, self.primary, self.answers, self.ops)


class BadDecision(ValueError):
    """A router answer that is not a target, or the wrong number of answers for a batch."""

    def __init__(self, at: float, answer: object, count: int | None = None) -> None:
        super().__init__(f"bad routing decision at {at} ms: {answer!r}")
        self.at, self.answer, self.count = at, answer, count


Router = Callable[[Batch], Sequence[Any]]


@dataclass
class Outcome:
    """What the router's decisions did, read by read, and the counts graded on them."""

    reads: int = 0
    to_primary: int = 0
    per_replica: list[int] = field(default_factory=lambda: [0] * REPLICAS)
    ryw: list[tuple[float, int, Any, int, int]] = field(default_factory=list)
    monotonic: list[tuple[float, int, Any, int, int]] = field(default_factory=list)
    stale: list[tuple[float, int, Any, float]] = field(default_factory=list)
    batches: int = 0

    @property
    def primary_share(self) -> float:
        """Percentage of reads the primary served."""
        return 100.0 * self.to_primary / self.reads if self.reads else 0.0

    @property
    def load_ratio(self) -> float:
        """The busiest replica's reads over the mean replica's; REPLICAS (as if one replica
        served them all) when no replica served any."""
        total = sum(self.per_replica)
        if total == 0:
            return float(REPLICAS)
        return max(self.per_replica) * REPLICAS / total


def _target(answer: object) -> bool:
    """Whether answer names a place a read can go."""
    return (
        answer == PRIMARY
        if isinstance(answer, str)
        else (type(answer) is int and 0 <= answer < REPLICAS)
    )


def simulate(sc: Scenario, router: Router) -> Outcome:
    """Run every report period: report, ask the router, serve its reads, count."""
    out = Outcome()
    last_write: dict[int, int] = {}
    seen: dict[int, int] = {}
    answers: tuple[tuple[int, Any, int], ...] = ()
    i = 0
    periods = math.ceil(DURATION_MS / REPORT_MS)
    for k in range(periods):
        now = k * REPORT_MS
        end = now + REPORT_MS
        start = i
        while i < len(sc.ops) and sc.ops[i].at < end:
            i += 1
        ops = sc.ops[start:i]
        batch = Batch(
            now,
            tuple(sc.applied(r, now) for r in range(REPLICAS)),
            tuple(round(sc.lag(r, now), 3) for r in range(REPLICAS)),
            sc.primary(now),
            answers,
            tuple((op.at, op.session, op.position) for op in ops),
        )
        decided = router(batch)
        out.batches += 1
        if not isinstance(decided, list | tuple) or len(decided) != batch.reads:
            raise BadDecision(now, decided, batch.reads)
        targets = iter(decided)
        served: list[tuple[int, Any, int]] = []
        for op in ops:
            if op.write:
                last_write[op.session] = op.position
                continue
            target = next(targets)
            if not _target(target):
                raise BadDecision(op.at, target)
            served.append((op.session, target, _serve(sc, out, op, target, last_write, seen)))
        answers = tuple(served)
    return out


def _serve(
    sc: Scenario, out: Outcome, op: Op, target: Any, last_write: dict[int, int],
    seen: dict[int, int],
) -> int:  # fmt: skip
    """Serve one read where the router sent it; count what it got wrong; its position."""
    out.reads += 1
    if target == PRIMARY:
        out.to_primary += 1
        position = sc.primary(op.at)
    else:
        out.per_replica[target] += 1
        position = sc.applied(target, op.at)
        lag = sc.lag(target, op.at)
        if lag > STALE_MS:
            out.stale.append((op.at, op.session, target, lag))
    wrote = last_write.get(op.session, 0)
    if position < wrote:
        out.ryw.append((op.at, op.session, target, position, wrote))
    before = seen.get(op.session, 0)
    if position < before:
        out.monotonic.append((op.at, op.session, target, position, before))
    seen[op.session] = max(before, position)
    return position
