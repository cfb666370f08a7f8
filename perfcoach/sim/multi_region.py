"""Three regions, one primary, asynchronous replication and a frozen primary, for multi-region.

Nothing here queues, so there is no event engine: the run is a sequence of 100 ms ticks.
At each tick the learner's code (in the subject) answers a batch: whether to promote a
replica, and for each page its write's fate at the primary (refuse, commit unfenced, or
commit with a fencing token) and where each read goes. Everything that follows from
those answers (commits, the storage's fencing check, when each replica has each write,
page times, read-your-writes, split brain, data lost) is worked out here, from the
hidden scenario the subject never sees: when the primary freezes, for how long, and
when its replication streams had slowed to seconds before it did.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REGIONS = ("va", "fr", "sg")
HOME = "va"  # the first primary
RTT_MS = {("va", "fr"): 70.0, ("va", "sg"): 155.0, ("fr", "sg"): 105.0}
LOCAL_MS = 1.0  # a round trip inside a region
JITTER = 0.1  # a round trip takes up to 10 % more than its floor
TICK_MS = 100.0
RUN_MS = 26_000.0  # long enough for the old primary to wake and rejoin (by 25 s)
PAGES_PER_S = 50  # per region
SESSIONS = 150  # per region
WRITE_SHARE = 0.1
READS = 2  # a page's reads, one after the other, after its write
WORK_MS = 5.0
COMMIT_MS = 2.0  # from the primary's check to the commit
REPLAY_MS = 2.0  # from the commit to the log leaving the primary, and to replay
RENEW_MS = 500.0  # the primary renews its lease this often
LEASE_MS = 2_000.0
REJOIN_MS = 1_000.0  # a demoted primary rewinds its log, then follows the new one
WAIT_CAP_MS = 1_000.0  # a read waits this long at most for a position, then goes to the primary
LAG_BOUND_MS = 1_000.0


def rtt(a: str, b: str) -> float:
    """The floor of a round trip between two regions, ms."""
    return LOCAL_MS if a == b else RTT_MS.get((a, b)) or RTT_MS[b, a]


def one_way(a: str, b: str) -> float:
    """Half the round trip: how long a message (or the replication stream) takes."""
    return rtt(a, b) / 2


@dataclass(frozen=True)
class Page:
    """One request at an app server in its user's region: maybe a write, then the reads."""

    at: float
    region: str
    session: int
    writes: bool
    jitter: tuple[float, ...]  # per round trip: the write's, then each read's


@dataclass(frozen=True)
class Scenario:
    """The hidden schedule: pages, and when the primary froze and woke, and its streams slowed."""

    pages: tuple[Page, ...]
    freeze: float  # the primary's process stops (a pause, a VM freeze)
    wake: float
    congestion: dict[str, tuple[float, float]]  # per replica: from when, and the stream's delay


def scenario(rng: random.Random) -> Scenario:
    """Poisson pages in each region; the primary freezes between a write's check and its
    commit, some 9-13 s in, for 8-11 s; 1.5-2.5 s before, both replication streams slowed
    to a delay of 3.5-4.5 s (a congested link), and stayed that slow."""
    pages: list[Page] = []
    for region in REGIONS:
        at = 0.0
        while True:
            at += rng.expovariate(PAGES_PER_S / 1000)
            if at >= RUN_MS:
                break
            writes = rng.random() < WRITE_SHARE
            jitter = tuple(rng.random() * JITTER for _ in range(READS + 1))
            session = REGIONS.index(region) * SESSIONS + rng.randrange(SESSIONS)
            pages.append(Page(at, region, session, writes, jitter))
    pages.sort(key=lambda p: p.at)
    candidates = [p for p in pages if p.writes and 9_000 <= p.at <= 13_000]
    struck = rng.choice(candidates)
    freeze = check_time(struck, HOME) + COMMIT_MS / 2
    wake = freeze + rng.uniform(8_000, 11_000)
    congestion = {
        r: (freeze - rng.uniform(1_500, 2_500), rng.uniform(3_500, 4_500))
        for r in REGIONS
        if r != HOME
    }
    return Scenario(tuple(pages), freeze, wake, congestion)


def check_time(page: Page, primary: str) -> float:
    """When the page's write reaches the primary and is checked there."""
    return page.at + WORK_MS + rtt(page.region, primary) * (1 + page.jitter[0]) / 2


class BadDecision(Exception):
    """An answer that is not a decision of the right kind; what and where."""

    def __init__(self, what: str, answer: object, at: float) -> None:
        super().__init__(what)
        self.what = what
        self.answer = answer
        self.at = at


@dataclass
class Write:
    """One write that reached a primary, and what became of it."""

    pos: int
    page: int  # the page that sent it
    session: int
    region: str
    node: str
    epoch: int  # the node's epoch, as it believes
    check: float
    commit: float
    answer: Any = None  # True, an int token, or None/False (refused)
    queued: bool = False  # reached a frozen primary: checked when it wakes, its client gone
    stored: bool = False  # committed: the primary's check and the storage both said yes
    split: bool = False  # committed by a primary that had been replaced


@dataclass(frozen=True)
class Batch:
    """One tick's questions for the subject, in wire form (plain tuples)."""

    now: float
    view: tuple[Any, ...]
    pages: list[tuple[Any, ...]]
    checks: list[tuple[Any, ...]]

    def wire(self) -> tuple[Any, ...]:
        """The batch as the driver receives it."""
        return (self.now, self.view, self.pages, self.checks)


Decider = Callable[[Batch], Any]


@dataclass
class Outcome:
    """What the run produced: every page's time and crossings, and the failover's figures."""

    times: dict[str, list[float]] = field(default_factory=dict)  # per region, outside the window
    crossings: list[int] = field(default_factory=list)  # per page outside the window
    worst_crossing: tuple[str, float, int] = ("", 0.0, 0)  # region, at, crossings
    ryw_violations: int = 0
    ryw_example: tuple[str, float, str] | None = None  # region, at, target of one
    split_brain: int = 0
    lost: int = 0
    lost_span_ms: float = 0.0
    failover_ms: float = math.inf
    promoted: str | None = None
    promoted_at: float | None = None
    refused: int = 0  # writes not committed: refused by the primary or by the storage
    writes: int = 0
    failed_pages: int = 0
    window: tuple[float, float] = (0.0, 0.0)
    fallbacks: int = 0
    reads_remote: int = 0
    reads: int = 0

    def p95(self, region: str) -> float:
        """The nearest-rank P95 of the region's page times (ms), outside the incident."""
        xs = sorted(self.times[region])
        return xs[max(0, math.ceil(0.95 * len(xs)) - 1)] if xs else 0.0


class Run:
    """The deployment's state through one run."""

    def __init__(self, sc: Scenario) -> None:
        self.sc = sc
        self.writes: list[Write] = []
        self.positions: set[int] = set()
        self.promoted: str | None = None
        self.promoted_at = math.inf
        self.base = 0  # the promoted replica's position when promoted
        self.queued: list[Write] = []
        self.reads: list[tuple[int, str, int]] = []  # page, target, wait_for
        self.page_writes: dict[int, Write] = {}
        self.timelines: dict[str, tuple[list[float], list[int | None]]] = {}
        self.arrivals: dict[tuple[int, str], float] = {}  # (position, replica): see arrival

    # -- who is where ----------------------------------------------------------------
    def primary(self, t: float) -> str:
        """The primary in charge at t, as the coordinator announced it."""
        return self.promoted if self.promoted and t >= self.promoted_at else HOME

    def epoch(self, t: float) -> int:
        """The newest epoch at t: 1, then 2 from the promotion on."""
        return 2 if self.promoted and t >= self.promoted_at else 1

    def frozen(self, node: str, t: float) -> bool:
        """Whether node's process is stopped at t (only the first primary ever freezes)."""
        return node == HOME and self.sc.freeze <= t < self.sc.wake

    def rejoin(self) -> float:
        """When the demoted first primary follows the new one (it learns at wake)."""
        return max(self.promoted_at, self.sc.wake) + REJOIN_MS

    def down(self, node: str, t: float) -> bool:
        """Whether node answers nothing at t: frozen, or replaced and rewinding its log."""
        if self.frozen(node, t):
            return True
        return node == HOME and self.promoted is not None and self.promoted_at <= t < self.rejoin()

    def lease_until(self, t: float, node: str | None = None) -> float:
        """A primary's lease (the current one's by default) as last renewed at or before t."""
        node = node or self.primary(t)
        if node != HOME:
            return max(self.promoted_at, math.floor(t / RENEW_MS) * RENEW_MS) + LEASE_MS
        last = math.floor(min(t, self.promoted_at) / RENEW_MS) * RENEW_MS
        if last >= self.promoted_at:
            last -= RENEW_MS
        if self.sc.freeze <= last < self.sc.wake:
            last = math.floor(self.sc.freeze / RENEW_MS) * RENEW_MS
            if last == self.sc.freeze:
                last -= RENEW_MS
        return last + LEASE_MS

    def heartbeat_ms(self, node: str, now: float) -> float:
        """How long the coordinator has not heard node (heartbeats every tick)."""
        if self.frozen(node, now):
            return now - math.floor(self.sc.freeze / TICK_MS) * TICK_MS
        return 0.0

    def node_view(self, node: str, t: float) -> tuple[Any, ...]:
        """What a primary's database knows when it checks a write: where, when, its epoch
        as it believes, its lease."""
        epoch = 1 if node == HOME else 2
        return (node, round(t, 3), epoch, self.lease_until(t, node))

    # -- the log ---------------------------------------------------------------------
    def new_write(self, page: int, node: str, check: float) -> Write:
        """A write checked at check: its log position follows from when (microseconds), so
        positions grow with commits, as a log's offsets do."""
        pos = round(check * 1000)
        while pos in self.positions:
            pos += 1
        self.positions.add(pos)
        p = self.sc.pages[page]
        epoch = 1 if node == HOME else 2
        w = Write(pos, page, p.session, p.region, node, epoch, check, check + COMMIT_MS)
        self.writes.append(w)
        self.page_writes[page] = w
        return w

    def settle(self) -> None:
        """The storage's fencing check, in commit order: a token below the highest epoch it
        has seen (it learns each promotion at once) is refused; an unfenced write is not
        checked. A commit by the first primary after the promotion is split brain."""
        highest = 1
        for w in sorted(self.writes, key=lambda w: (w.commit, w.pos)):
            if w.commit >= self.promoted_at:
                highest = max(highest, 2)
            a = w.answer
            if a is True:
                w.stored = True
            elif type(a) is int and a >= highest:
                w.stored = True
                highest = a
            else:
                w.stored = False
            w.split = w.stored and w.epoch < self.epoch(w.commit)

    def arrival(self, w: Write, replica: str) -> float:
        """When the first primary's stream brought w to replica (inf: never). The stream
        stops while the primary is frozen; on a congested link it takes seconds. Kept per
        write until a promotion changes what a frozen primary's stream still sends."""
        known = self.arrivals.get((w.pos, replica))
        if known is not None:
            return known
        t = w.commit + REPLAY_MS
        if self.sc.freeze <= t < self.sc.wake:
            t = self.sc.wake if self.promoted_at > self.sc.wake else math.inf
        start, delay = self.sc.congestion[replica]
        t += delay if t >= start else one_way(HOME, replica)
        self.arrivals[w.pos, replica] = t
        return t

    def timeline(self, node: str) -> tuple[list[float], list[int | None]]:
        """When node's applied position changed (None: down), for writes settled so far."""
        points: list[tuple[float, int]] = [(0.0, 0)]
        first = [
            w for w in self.writes if w.stored and w.epoch == 1 and w.commit < self.promoted_at
        ]
        if node == HOME:
            points += [(w.commit, w.pos) for w in first]
        else:
            for w in first:
                t = self.arrival(w, node)
                if t < self.promoted_at:
                    points.append((t, w.pos))
        points.sort()
        times, values = [p[0] for p in points], []
        top = 0
        for _, v in points:
            top = max(top, v)
            values.append(top)
        out_t: list[float] = []
        out_v: list[int | None] = []
        for t, v in zip(times, values, strict=True):
            if t < self.promoted_at:
                out_t.append(t)
                out_v.append(v)
        if self.promoted:
            leader = self.promoted
            before = out_v[-1] if out_v else 0
            start = self.promoted_at if node != HOME else self.rejoin()
            later = [w for w in self.writes if w.stored and w.epoch == 2]
            if node == leader:
                out_t.append(self.promoted_at)
                out_v.append(self.base)
                pts = [(w.commit, w.pos) for w in later]
            else:
                if node != HOME:
                    out_t.append(self.promoted_at)
                    out_v.append(min(before if before is not None else 0, self.base))
                start_at = start + one_way(leader, node) + REPLAY_MS
                out_t.append(start_at)
                out_v.append(self.base)
                pts = [
                    (max(w.commit + REPLAY_MS + one_way(leader, node), start_at), w.pos)
                    for w in later
                ]
            pts.sort()
            top = self.base
            for t, v in pts:
                top = max(top, v)
                out_t.append(t)
                out_v.append(top)
        return self._with_downtime(node, out_t, out_v)

    def _with_downtime(
        self, node: str, times: list[float], values: list[int | None]
    ) -> tuple[list[float], list[int | None]]:
        """The first primary's timeline with its downtime: frozen, then (once replaced)
        rewinding until it follows the new primary."""
        if node != HOME:
            return times, values
        down_from = self.sc.freeze
        down_to = self.rejoin() if self.promoted else self.sc.wake
        at_end = values[bisect.bisect_right(times, down_to) - 1]
        out_t = [t for t in times if t < down_from] + [down_from, down_to]
        out_v = [*values[: len(out_t) - 2], None, at_end]
        later = [(t, v) for t, v in zip(times, values, strict=True) if t > down_to]
        return out_t + [t for t, _ in later], out_v + [v for _, v in later]

    def applied(self, node: str, t: float) -> int | None:
        """node's applied log position at t (None: down), from its timeline."""
        times, values = self.timelines[node]
        i = bisect.bisect_right(times, t) - 1
        return values[i] if i >= 0 else 0

    def reached(self, node: str, pos: int, t: float) -> float:
        """The first time from t at which node has applied pos (inf: never)."""
        times, values = self.timelines[node]
        i = max(0, bisect.bisect_right(times, t) - 1)
        for j in range(i, len(times)):
            v = values[j]
            if v is not None and v >= pos:
                return max(t, times[j])
        return math.inf

    def refresh(self) -> None:
        """Settle the log and rebuild every timeline from the answers so far."""
        self.settle()
        for node in REGIONS:
            self.timelines[node] = self.timeline(node)

    # -- one tick --------------------------------------------------------------------
    def view(self, now: float) -> tuple[Any, ...]:
        """The coordinator's view at the tick's start; a silent database's position is the
        one it reported last."""
        last_heard = math.floor(self.sc.freeze / TICK_MS) * TICK_MS
        applied = tuple(
            self.applied(r, now) if not self.down(r, now) else self.applied(r, last_heard)
            for r in REGIONS
        )
        beats = tuple(round(self.heartbeat_ms(r, now), 3) for r in REGIONS)
        return (self.primary(now), self.epoch(now), applied, beats, self.lease_until(now))

    def promote(self, answer: object, now: float) -> None:
        """The coordinator's answer, effective from the next tick: ignored when it names the
        primary, a database that is down, or comes while the lease holds (once per run)."""
        if answer is None:
            return
        if not isinstance(answer, str) or answer not in REGIONS:
            raise BadDecision("promote", answer, now)
        current = self.primary(now)
        if answer == current or self.promoted or self.down(answer, now):
            return
        if now < self.lease_until(now):
            return  # the coordinator grants no new primary while the lease holds
        self.refresh()
        self.promoted, self.promoted_at = answer, now
        self.arrivals.clear()
        base = self.applied(answer, now)
        self.base = base or 0


def simulate(sc: Scenario, decide: Decider) -> Outcome:
    """Run the scenario with the learner's decisions; every figure from here."""
    run = Run(sc)
    pages = sc.pages
    i = 0
    ticks = math.ceil(RUN_MS / TICK_MS)
    for k in range(ticks):
        now = k * TICK_MS
        end = now + TICK_MS
        run.refresh()
        wire_pages: list[tuple[Any, ...]] = []
        mine: list[int] = []
        primary = run.primary(now)
        while i < len(pages) and pages[i].at < end:
            p = pages[i]
            write: tuple[Any, ...] | None = None
            if p.writes:
                check = check_time(p, primary)
                if run.frozen(primary, check):
                    # its position is from when it arrived, not from the wake, which is
                    # the hidden schedule's; it is checked (and commits) on waking
                    w = run.new_write(i, primary, check)
                    w.check, w.commit, w.queued = sc.wake, sc.wake + COMMIT_MS, True
                    run.queued.append(w)
                    # Sent as a page without a write: marked, it would tell code answering an
                    # earlier page of this tick that the primary freezes before the tick ends.
                    write = None
                else:
                    w = run.new_write(i, primary, check)
                    if run.frozen(primary, w.commit):  # checked, then frozen: commits on waking
                        w.commit = sc.wake + COMMIT_MS / 4
                    write = (w.pos, run.node_view(primary, check))
            wire_pages.append((round(p.at, 3), p.region, p.session, write))
            mine.append(i)
            i += 1
        checks = [w for w in run.queued if now <= w.check < end]
        wire_checks = [(w.pos, run.node_view(w.node, w.check)) for w in checks]
        batch = Batch(now, run.view(now), wire_pages, wire_checks)
        answer = decide(batch)
        if not (isinstance(answer, tuple) and len(answer) == 3):
            raise BadDecision("batch", answer, now)
        promotion, page_answers, check_answers = answer
        if not isinstance(page_answers, list) or len(page_answers) != len(mine):
            raise BadDecision("pages", page_answers, now)
        if not isinstance(check_answers, list) or len(check_answers) != len(checks):
            raise BadDecision("checks", check_answers, now)
        for idx, ans in zip(mine, page_answers, strict=True):
            record(run, idx, ans)
        for w, ans in zip(checks, check_answers, strict=True):
            w.answer = gate(ans, w.check)
        run.promote(promotion, end)
    run.refresh()
    return evaluate(run)


def gate(answer: object, at: float) -> Any:
    """accept_write()'s answer, if it is one: True, an exact int, None or False."""
    if answer is None or answer is True or answer is False or type(answer) is int:
        return answer
    raise BadDecision("accept_write", answer, at)


def record(run: Run, idx: int, answer: object) -> None:
    """A page's answer (its write's verdict, then one (target, position) per read), checked."""
    page = run.sc.pages[idx]
    if not (isinstance(answer, tuple) and len(answer) == 2):
        raise BadDecision("page", answer, page.at)
    verdict, reads = answer
    w = run.page_writes.get(idx)
    if w is not None and not w.queued:
        w.answer = gate(verdict, page.at)
    if not isinstance(reads, list) or len(reads) != READS:
        raise BadDecision("reads", reads, page.at)
    for read in reads:
        if not (isinstance(read, tuple) and len(read) == 2):
            raise BadDecision("route_read", read, page.at)
        target, wait_for = read
        if not isinstance(target, str) or target not in REGIONS:
            raise BadDecision("route_read", read, page.at)
        if type(wait_for) is not int or wait_for < 0:
            raise BadDecision("route_read", read, page.at)
        run.reads.append((idx, target, wait_for))


def evaluate(run: Run) -> Outcome:
    """Every figure of the run, from the settled log and the recorded answers."""
    sc = run.sc
    out = Outcome(times={r: [] for r in REGIONS})
    window_end = run.rejoin() if run.promoted else sc.wake
    out.window = (min(start for start, _ in sc.congestion.values()), window_end)
    out.promoted, out.promoted_at = run.promoted, (run.promoted_at if run.promoted else None)
    acked: dict[int, list[tuple[float, int]]] = {}
    for w in run.writes:
        if not w.queued and w.stored and not w.split:
            jitter = sc.pages[w.page].jitter[0]
            ack = w.commit + rtt(w.region, w.node) * (1 + jitter) / 2
            acked.setdefault(w.session, []).append((ack, w.pos))
        if not w.queued and w.commit - w.check <= COMMIT_MS:  # its client still waits
            out.writes += 1
            out.refused += not w.stored  # by the primary, or by the storage's check
    for v in acked.values():
        v.sort()
    surviving = run.base if run.promoted else math.inf
    lost = [
        w for w in run.writes if w.stored and not w.split and w.epoch == 1 and w.pos > surviving
    ]
    out.lost = len(lost)
    if len(lost) > 1:
        out.lost_span_ms = max(w.commit for w in lost) - min(w.commit for w in lost)
    lost_pos = {w.pos for w in lost}
    out.split_brain = sum(w.split for w in run.writes)
    after = [w.commit for w in run.writes if w.stored and not w.split and w.commit >= sc.freeze]
    out.failover_ms = (min(after) - sc.freeze) if after else math.inf
    _serve_pages(run, out, acked, lost_pos)
    return out


def _serve_pages(
    run: Run, out: Outcome, acked: dict[int, list[tuple[float, int]]], lost_pos: set[int]
) -> None:
    """Each page's time, crossings and read-your-writes, read by read: a read waits at its
    target for the position it was given (at most WAIT_CAP_MS, then falls back to the
    primary); one sent to a database that is down fails the page."""
    sc = run.sc
    reads_by_page: dict[int, list[tuple[str, int]]] = {}
    for idx, target, wait_for in run.reads:
        reads_by_page.setdefault(idx, []).append((target, wait_for))
    for idx, page in enumerate(sc.pages):
        t = page.at + WORK_MS
        crossings = 0
        failed = False
        w = run.page_writes.get(idx)
        if w is not None:
            if w.queued or w.commit - w.check > COMMIT_MS:
                failed = True
            else:
                t = w.commit + rtt(page.region, w.node) * (1 + page.jitter[0]) / 2
                crossings += w.node != page.region
        key = page.session
        for n, (target, wait_for) in enumerate(reads_by_page.get(idx, [])):
            if failed:
                break
            out.reads += 1
            issued = t
            trip = rtt(page.region, target) * (1 + page.jitter[n + 1])
            arrive = t + trip / 2
            if run.down(target, arrive):
                failed = True
                break
            served, reader = arrive, target
            if wait_for:
                got = run.reached(target, wait_for, arrive)
                if got > arrive + WAIT_CAP_MS:
                    # the wait timed out: the app server reads from the primary instead
                    out.fallbacks += 1
                    reader = run.primary(arrive)
                    crossings += target != page.region
                    t = arrive + WAIT_CAP_MS + trip / 2
                    trip = rtt(page.region, reader) * (1 + page.jitter[n + 1])
                    arrive = served = t + trip / 2
                    if run.down(reader, arrive):
                        failed = True
                        break
                else:
                    served = got
            history = [
                (a, pos) for a, pos in acked.get(key, []) if a <= issued and pos not in lost_pos
            ]
            if history:
                need = max(pos for _, pos in history)
                have = run.applied(reader, served)
                if have is None or have < need:
                    out.ryw_violations += 1
                    if out.ryw_example is None:
                        out.ryw_example = (page.region, page.at, reader)
            target = reader
            if target != page.region:
                crossings += 1
                out.reads_remote += 1
            t = served + trip / 2
        if failed:
            out.failed_pages += 1
        if failed or (t >= out.window[0] and page.at < out.window[1]):
            continue  # a page that overlapped the incident
        out.times[page.region].append(t - page.at)
        out.crossings.append(crossings)
        if crossings > out.worst_crossing[2]:
            out.worst_crossing = (page.region, page.at, crossings)
