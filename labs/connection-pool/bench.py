"""Grader for connection-pool: the right answers, a bounded pool, no leaks, no sharing, speed.

The database server runs here, in the grader (`Database`, served to the subject). Its
connect() answers after a simulated 30 ms handshake without blocking the grader, so eight
threads can shake hands at once; each request's query is a call that marks its connection
busy until the driver's work function reports (an event) that the work is over; close()
hangs up. The subject's driver builds `connect` and the connection objects around that
server and runs the worker threads, so the grader sees, without any help from the
learner's code:

* connects — connections opened during one run: the graded run of REQUESTS requests, and
  each timed batch on the service kept between batches (the most of any run);
* leaked_connections — connections still open after Service.close(): each one was never
  given back (the detail names the request that raised while holding it);
* double_checkouts — queries on a connection while another request's work was still
  using it, in the graded run and every timed batch;
* speedup — requests per second against the starter, both services kept between batches,
  interleaved, with fresh requests and a changed database (new answers) for every batch.

Every call is a real round trip between two processes, and a pool's eight threads share
one interpreter: a request through a pool costs about 0.3 ms here, as a query does on a
LAN. The handshake is 30 ms so that it is most of a starter request, as it is against a
real server; at 5 ms the starter's own round trips would cost nearly as much.
The driver's race amplifier makes a check-then-act race in a pool that is not thread-safe
show up in one run instead of once a week in production.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from perfcoach.labkit import (
    Grade,
    Handle,
    LabContext,
    Later,
    Measured,
    Ref,
    Refusal,
    Subject,
    Trial,
    Workload,
    WrongAnswer,
)

POOL_SIZE = 4
THREADS = 8
REQUESTS = 24  # per graded run: 3 per thread
FAILING = 3  # requests whose work raises, spread over the run: fewer than POOL_SIZE,
# so a pool that loses their connections still finishes, with the leak on record
TIMED_REQUESTS = 24  # per timed batch, as many as a graded run: 3 per thread
HANDSHAKE_S = 0.030  # TCP + TLS + authentication + a new server session
QUERY_S = 0.0001  # one short query on the server
DEADLINE_S = 5.0  # the starter needs ~0.1 s: a run still going after this is stuck
PROFILED_REQUESTS = 15  # ~0.5 s on the starter, one thread


def expected(key: bytes, request: int) -> int:
    """What the query returns for a request: a keyed hash, so only the server knows it."""
    digest = hashlib.blake2b(request.to_bytes(8, "big"), key=key, digest_size=4).digest()
    return int.from_bytes(digest, "big") % 1_000_003


@dataclass
class Conn:
    """The server's record of one connection."""

    number: int
    open: bool = True
    busy_with: int | None = None
    last_request: int | None = None


@dataclass
class Database:
    """The simulated database server: hands out connections and keeps the evidence.

    The subject can call connect, query and close, nothing else: the tallies are plain
    data the grader reads, and `key` (which changes with the database's state) too.
    """

    key: bytes
    connections: list[Conn] = field(default_factory=list)
    open_now: int = 0
    peak_open: int = 0
    double: list[tuple[int, int, int]] = field(default_factory=list)  # conn, holder, intruder
    used_closed: list[tuple[int, int]] = field(default_factory=list)  # request, conn

    def connect(self) -> Later:
        """Open a connection: the server holds its slot from the first packet on, and
        answers when the handshake is done."""
        conn = Conn(len(self.connections) + 1)
        self.connections.append(conn)
        self.open_now += 1
        self.peak_open = max(self.peak_open, self.open_now)
        return Later(conn.number, HANDSHAKE_S)

    def query(self, number: object, request: object) -> Later:
        """One request's query: the connection is busy with it until its work is done."""
        conn = self._find(number)
        if not isinstance(request, int):
            raise Refusal(f"a query for request {request!r}: pass work the request it was given")
        if not conn.open:
            self.used_closed.append((request, conn.number))
        if conn.busy_with is not None:
            self.double.append((conn.number, conn.busy_with, request))
        else:
            conn.busy_with = request
        conn.last_request = request
        return Later(expected(self.key, request), QUERY_S)

    def close(self, number: object) -> None:
        """Hang up; closing twice is harmless."""
        conn = self._find(number)
        if conn.open:
            conn.open = False
            self.open_now -= 1

    def _find(self, number: object) -> Conn:
        if isinstance(number, int) and 1 <= number <= len(self.connections):
            return self.connections[number - 1]
        raise Refusal(f"no connection #{number!r}: use the connections connect() gives you")


def work_done(db: Database, record: tuple[Any, ...]) -> None:
    """The driver's record that a request's work is over: its connection is free again.

    Fed by the event log, never callable from the subject: an event is not a call."""
    number, request = record if len(record) == 2 else (None, None)
    if isinstance(number, int) and 1 <= number <= len(db.connections):
        conn = db.connections[number - 1]
        if conn.busy_with == request:
            conn.busy_with = None


def serve(ctx: LabContext, db: Database) -> tuple[Handle, Handle]:
    """The server for the subject, and the event log its work functions report to."""
    log, _ = ctx.log(lambda record: work_done(db, record))
    return ctx.serve(db), log


def still_open(db: Database) -> list[Conn]:
    """The server's connections nobody closed."""
    return [c for c in db.connections if c.open]


@dataclass(frozen=True)
class Batch:
    """One timed batch: fresh requests, and the database's state (its answers) for them."""

    requests: list[int]
    key: bytes


@dataclass
class Timed:
    """One side's server for the timed batches, and what it counted batch by batch."""

    db: Database
    server: Handle
    done: Handle
    ref: Ref | None
    batches: int = 0
    most_opened: int = 0  # connections opened during one batch, the most of any batch


def graded_run(
    ctx: LabContext, side: Subject, key: bytes, requests: list[int], failing: frozenset[int]
) -> tuple[Database, dict[str, Any]]:
    """One run with races amplified on a fresh server and Service, then Service.close()."""
    db = Database(key)
    server, done = serve(ctx, db)
    outcome = side.run(
        "graded", server, done, POOL_SIZE, requests, sorted(failing), THREADS, DEADLINE_S
    )
    return db, outcome


def check_outcome(
    db: Database, outcome: dict[str, Any], requests: list[int], failing: frozenset[int]
) -> None:
    """Every request got its own answer back, and every failing one its exception."""
    results, errors = outcome["results"], set(outcome["errors"])
    for request in requests:
        if request in failing:
            if request not in errors:
                raise WrongAnswer(
                    f"request {request}'s work raised OrderNotFound, but handle() returned "
                    f"{results.get(request)!r}: let the exception reach the caller (clean up "
                    "in finally)"
                )
        elif results.get(request) != expected(db.key, request):
            raise WrongAnswer(
                f"request {request}: handle() returned {results.get(request)!r}, expected "
                f"{expected(db.key, request)!r}, the result of work(conn)"
            )
    if db.used_closed:
        request, number = db.used_closed[0]
        raise WrongAnswer(
            f"request {request} ran on connection #{number} after it was closed: keep pooled "
            "connections open, and close them only in close()"
        )


def batch_problem(batch: Batch, outcome: Any) -> str | None:
    """What is wrong with a timed batch's outcome, in the learner's terms (None: nothing)."""
    if not outcome["finished"]:
        done = len(outcome["results"])
        return (
            f"after {DEADLINE_S:g} s only {done} of {len(batch.requests)} requests had "
            "finished: look for a lock that is never released or a wait nobody wakes up"
        )
    for request in batch.requests:
        got = outcome["results"].get(request)
        if got != expected(batch.key, request):
            return (
                f"request {request}: handle() returned {got!r}, expected "
                f"{expected(batch.key, request)!r}. The database changed since your previous "
                "batch (new requests, new answers): return what work(conn) returns now; "
                "anything kept from an earlier call is stale"
            )
    return None


def stuck_message(db: Database, outcome: dict[str, Any], failing: frozenset[int]) -> str:
    """Why a run never finished: usually connections lost by requests that raised."""
    held = _lost_to_failures(db, failing)
    lost = (
        f"; connection(s) {held} were last used by requests that raised and never came "
        "back to the pool: give the connection back in a finally block (or a with block)"
        if held
        else ": look for a lock that is never released or a wait nobody wakes up"
    )
    done = len(outcome["results"]) + len(outcome["errors"])
    return (
        f"after {DEADLINE_S:g} s only {done} of {REQUESTS} requests had finished; the rest "
        f"were still waiting for a connection{lost}"
    )


def _lost_to_failures(db: Database, failing: frozenset[int]) -> str:
    lost = sorted((c.last_request, c.number) for c in still_open(db) if c.last_request in failing)
    return ", ".join(f"#{number} (request {request})" for request, number in lost)


def leak_detail(db: Database, failing: frozenset[int], timed: Database) -> str:
    """Which connections were still open after close(), and who had them last."""
    left = still_open(db)
    later = (
        f"; the service kept for the timed batches left {len(still_open(timed))} open after close()"
        if still_open(timed)
        else ""
    )
    if not left:
        if later:
            return f"close() must close every connection the pool holds{later}"
        return "every connection was back in the pool and closed by close()"
    raised = sorted(c.last_request for c in left if c.last_request in failing)
    if raised:
        who = ", ".join(str(r) for r in raised)
        return (
            f"{len(left)} still open after close(); requests {who} raised OrderNotFound "
            "while holding one and never gave it back: return the connection in a finally "
            f"block (or a with block){later}"
        )
    return (
        f"{len(left)} still open after close(): close() must close every connection "
        f"the pool holds{later}"
    )


def double_detail(db: Database, timed: Database) -> str:
    """The first connection that two requests held at once."""
    if not db.double and not timed.double:
        return "no connection ever served two requests at once"
    number, holder, intruder = (db.double or timed.double)[0]
    where = "" if db.double else " in a timed batch"
    return (
        f"connection #{number} was lent to request {intruder} while request {holder} was "
        f"still using it{where}: taking an idle connection must be one atomic step (a Queue, "
        "or a lock around check-and-take)"
    )


def connects_detail(db: Database, timed: Timed) -> str:
    """How many connections for how many allowed, and how many were open at once."""
    count = len(db.connections)
    if count <= POOL_SIZE:
        text = f"{count} handshakes, then reused for all {REQUESTS} requests"
    elif count >= REQUESTS:
        text = (
            f"{count} handshakes, one per request, {db.peak_open} open at once: keep at "
            f"most pool_size ({POOL_SIZE}) connections open and lend them out (a pool)"
        )
    else:
        text = (
            f"{count} handshakes for a pool of {POOL_SIZE} ({db.peak_open} open at once): "
            "open a new connection only while fewer than pool_size exist (check and count "
            "under one lock), otherwise wait for one to come back"
        )
    if timed.most_opened > max(count, POOL_SIZE):
        text += (
            f"; in a timed batch of {TIMED_REQUESTS} requests your service opened "
            f"{timed.most_opened}: counted in every batch, not only the graded run"
        )
    return text


def _failing(rng: random.Random, requests: list[int]) -> frozenset[int]:
    """FAILING requests, one in each third of the run."""
    return frozenset(
        rng.choice(requests[i * REQUESTS // FAILING : (i + 1) * REQUESTS // FAILING])
        for i in range(FAILING)
    )


def grade(ctx: LabContext) -> Grade:
    """Correct results and exceptions first; then the pool's counters and the speedup."""
    rng = ctx.rng("requests")
    requests = rng.sample(range(1_000, 100_000), REQUESTS)
    failing = _failing(rng, requests)
    key = rng.randbytes(16)

    db, outcome = graded_run(ctx, ctx.candidate, key, requests, failing)
    if not outcome["finished"]:
        return Grade(correct=False, message=stuck_message(db, outcome, failing))
    check_outcome(db, outcome, requests, failing)

    speed, timed = _speedup(ctx)
    mine, base = timed["candidate"], timed["baseline"]
    metrics = {
        "connects": Measured(
            max(len(db.connections), mine.most_opened),
            base.most_opened,
            detail=connects_detail(db, mine),
        ),
        "leaked_connections": Measured(
            len(still_open(db)) + len(still_open(mine.db)),
            len(still_open(base.db)),
            detail=leak_detail(db, failing, mine.db),
        ),
        "double_checkouts": Measured(
            len(db.double) + len(mine.db.double),
            len(base.db.double),
            detail=double_detail(db, mine.db),
        ),
        "speedup": speed,
    }
    notes = [
        f"The graded run: {REQUESTS} requests from {THREADS} threads, {FAILING} of them raise; "
        f"connect() costs a {HANDSHAKE_S * 1000:g} ms handshake, a query {QUERY_S * 1000:g} ms, "
        "each a round trip to the database server in another process.",
        f"Timed: batches of {TIMED_REQUESTS} requests from {THREADS} threads on a service kept "
        f"between batches, {mine.batches} of yours, each with fresh requests and a changed "
        "database; connections and double checkouts were counted in every batch. The "
        f"starter opened {base.most_opened} connections per batch: one handshake per request.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _speedup(ctx: LabContext) -> tuple[Measured, dict[str, Timed]]:
    """Requests per second, interleaved pairs on services kept between batches (the first
    batch of each side, which also fills the pool, only calibrates); what each side's
    server counted batch by batch."""
    rng = ctx.rng("timed")

    def make(_i: int) -> Batch:
        return Batch(rng.sample(range(1_000, 100_000), TIMED_REQUESTS), rng.randbytes(16))

    timed: dict[str, Timed] = {}
    for side in (ctx.baseline, ctx.candidate):
        db = Database(b"")
        server, done = serve(ctx, db)
        ref = side.call("open_service", server, POOL_SIZE, THREADS).ref
        timed[side.role] = Timed(db, server, done, ref)

    def run(side: Subject, units: list[Batch]) -> list[Any]:
        (unit,) = units
        mine = timed[side.role]
        mine.db.key = unit.key  # the database changes: the last batch's answers are stale
        opened = len(mine.db.connections)
        outcome = side.run("batch", mine.ref, mine.server, mine.done, unit.requests, DEADLINE_S)
        mine.batches += 1
        mine.most_opened = max(mine.most_opened, len(mine.db.connections) - opened)
        return [outcome]

    speed = ctx.speedup(
        "speedup",
        Trial(make=make, run=run, check=batch_problem, max_units=1),
        clock="wall",
    )
    for side in (ctx.baseline, ctx.candidate):
        side.run("close", timed[side.role].ref)
    return speed, timed


def workload(ctx: LabContext) -> Workload:
    """Requests one after another on the calling thread, so a profiler (which follows
    only the thread it started on) sees every connect() and its handshake."""
    rng = ctx.rng("workload")
    db = Database(rng.randbytes(16))
    requests = rng.sample(range(1_000, 100_000), PROFILED_REQUESTS)
    return Workload("sequential", (*serve(ctx, db), POOL_SIZE, requests))
