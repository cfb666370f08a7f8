"""Grader for connection-pool: the right answers, a bounded pool, no leaks, no sharing, speed.

The bench plays the database server. Its connect() sleeps through a simulated handshake
and counts every connection; each request's work (the bench's own function, handed to
Service.handle) marks its connection busy while it runs a simulated query, so the bench
sees, without any help from the learner's code:

* connects — connections opened during one run of REQUESTS requests from THREADS threads;
* leaked_connections — connections still open after the run and Service.close(): each
  one was never given back (the detail names the request that raised while holding it);
* double_checkouts — requests whose connection was already busy with another request;
* speedup — requests per second against the starter, both services warm, interleaved.

The run uses a tiny thread switch interval, so a check-then-act race in a pool that is
not thread-safe shows up in one run instead of once a week in production.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType, ModuleType
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer

POOL_SIZE = 4
THREADS = 8
REQUESTS = 240  # per graded run: 30 per thread
FAILING = 3  # requests whose work raises, spread over the run: fewer than POOL_SIZE,
# so a pool that loses their connections still finishes, with the leak on record
TIMED_REQUESTS = 160  # per timed call: 20 per thread
HANDSHAKE_S = 0.005  # TCP + TLS + authentication to a database server
QUERY_S = 0.0001  # one short query's round trip
DEADLINE_S = 5.0  # the starter needs ~0.2 s: a run still going after this is stuck
PROFILED_REQUESTS = 60  # ~0.3 s on the starter, one thread
SWITCH_INTERVAL_S = 1e-5  # Python's default is 5e-3


class OrderNotFound(LookupError):
    """What a failing request's work raises, as a real handler would for a bad id."""


class Connection:
    """A connection to the simulated server: only close() is for the service to call."""

    def __init__(self, server: Server, number: int) -> None:
        self._server = server
        self.number = number
        self.closed = False
        self.last_request: int | None = None
        self._busy_with: int | None = None

    def close(self) -> None:
        """Hang up; a closed connection cannot run queries."""
        with self._server.lock:
            if not self.closed:
                self.closed = True
                self._server.open_now -= 1

    def run(self, request: int) -> int:
        """The bench's query for one request (called from the bench's work function)."""
        server = self._server
        with server.lock:
            if self.closed:
                server.used_closed.append((request, self.number))
            if self._busy_with is not None:
                server.double.append((self.number, self._busy_with, request))
            else:
                self._busy_with = request
            self.last_request = request
        time.sleep(QUERY_S)
        with server.lock:
            if self._busy_with == request:
                self._busy_with = None
        return server.answer(request)


@dataclass
class Server:
    """The simulated database server: hands out connections and keeps the evidence."""

    salt: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    connections: list[Connection] = field(default_factory=list)
    open_now: int = 0
    peak_open: int = 0
    double: list[tuple[int, int, int]] = field(default_factory=list)  # conn, holder, intruder
    used_closed: list[tuple[int, int]] = field(default_factory=list)

    def connect(self) -> Connection:
        """Open a connection: the handshake is the expensive part, and the server holds
        a slot for the connection from its first packet on."""
        with self.lock:
            conn = Connection(self, len(self.connections) + 1)
            self.connections.append(conn)
            self.open_now += 1
            self.peak_open = max(self.peak_open, self.open_now)
        time.sleep(HANDSHAKE_S)
        return conn

    def answer(self, request: int) -> int:
        """What the query returns for a request: the bench knows it, the service cannot."""
        return (request * 2_654_435_761 + self.salt) % 1_000_003


@dataclass
class Outcome:
    """What the threads saw for every request: a result or an exception."""

    results: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, BaseException] = field(default_factory=dict)
    crashed: list[BaseException] = field(default_factory=list)


def make_work(server: Server, request: int, failing: frozenset[int]) -> Callable[[Any], int]:
    """The bench's work for one request: run its query, raise if it is a failing one."""

    def work(conn: Any) -> int:
        if not isinstance(conn, Connection):
            raise TypeError(f"handle() passed {type(conn).__name__} to work, not a connection")
        value = conn.run(request)
        if request in failing:
            raise OrderNotFound(f"request {request}: order not found")
        return value

    return work


class RaceAmplifier:
    """Lets other threads run between any two lines of one file's code.

    A pool that checks for an idle connection on one line and takes it on the next is
    only wrong when another thread runs in between. Real servers make that happen once
    in a while; yielding the GIL at every line of the service makes it happen in every
    run that has contention, so the double checkout is seen now.

    Each worker installs the tracer itself, one thread at a time: on CPython 3.11 a
    thread calling sys.settrace while another one is inside it (the audit hook makes
    that window wide) fails with RuntimeError, so threading.settrace is not safe here.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._lock = threading.Lock()

    def install(self) -> None:
        """Trace the calling thread."""
        with self._lock:
            sys.settrace(self._trace)

    def remove(self) -> None:
        """Stop tracing the calling thread."""
        with self._lock:
            sys.settrace(None)

    def _trace(self, frame: FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename != self.filename:
            return None
        return self._line

    def _line(self, frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            time.sleep(0)
        return self._line


def drive(
    service: Any,
    server: Server,
    requests: list[int],
    failing: frozenset[int],
    amplifier: RaceAmplifier | None = None,
) -> tuple[Outcome, bool]:
    """Run the requests from THREADS threads; False when some thread was still stuck
    at the deadline (daemon threads, so a stuck one cannot keep the check alive)."""
    outcome = Outcome()
    shares = [requests[i::THREADS] for i in range(THREADS)]

    def worker(mine: list[int]) -> None:
        if amplifier is not None:
            amplifier.install()
        try:
            for request in mine:
                try:
                    outcome.results[request] = service.handle(make_work(server, request, failing))
                except OrderNotFound as exc:
                    outcome.errors[request] = exc
        except BaseException as exc:  # reported after the run, from the main thread
            outcome.crashed.append(exc)
        finally:
            if amplifier is not None:
                amplifier.remove()

    threads = [threading.Thread(target=worker, args=(s,), daemon=True) for s in shares]
    deadline = time.monotonic() + DEADLINE_S
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return outcome, not any(t.is_alive() for t in threads)


def graded_run(
    module: ModuleType, salt: int, requests: list[int], failing: frozenset[int]
) -> tuple[Server, Outcome, bool]:
    """One instrumented run on a fresh server and service, then Service.close()."""
    server = Server(salt)
    service = module.Service(server.connect, POOL_SIZE)
    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    try:
        amplifier = RaceAmplifier(module.__file__ or "")
        outcome, finished = drive(service, server, requests, failing, amplifier)
    finally:
        sys.setswitchinterval(previous)
    if finished and not outcome.crashed:
        service.close()
    return server, outcome, finished


def check_outcome(
    server: Server, outcome: Outcome, requests: list[int], failing: frozenset[int]
) -> None:
    """Every request got its own answer back, and every failing one its exception."""
    if outcome.crashed:
        raise outcome.crashed[0]
    for request in requests:
        if request in failing:
            if request not in outcome.errors:
                got = outcome.results.get(request)
                raise WrongAnswer(
                    f"request {request}'s work raised OrderNotFound, but handle() returned "
                    f"{got!r}: let the exception reach the caller (clean up in finally)"
                )
        elif outcome.results.get(request) != server.answer(request):
            raise WrongAnswer(
                f"request {request}: handle() returned {outcome.results.get(request)!r}, "
                f"expected {server.answer(request)!r}, the result of work(conn)"
            )
    if server.used_closed:
        request, number = server.used_closed[0]
        raise WrongAnswer(
            f"request {request} ran on connection #{number} after it was closed: keep pooled "
            "connections open, and close them only in close()"
        )


def stuck_message(server: Server, outcome: Outcome, failing: frozenset[int]) -> str:
    """Why a run never finished: usually connections lost by requests that raised."""
    held = _lost_to_failures(server, failing)
    lost = (
        f"; connection(s) {held} were last used by requests that raised and never came "
        "back to the pool: give the connection back in a finally block (or a with block)"
        if held
        else ": look for a lock that is never released or a wait nobody wakes up"
    )
    done = len(outcome.results) + len(outcome.errors)
    return (
        f"after {DEADLINE_S:g} s only {done} of {REQUESTS} requests had finished; the rest "
        f"were still waiting for a connection{lost}"
    )


def _lost_to_failures(server: Server, failing: frozenset[int]) -> str:
    lost = sorted(
        (c.last_request, c.number)
        for c in server.connections
        if not c.closed and c.last_request in failing
    )
    return ", ".join(f"#{number} (request {request})" for request, number in lost)


def leak_detail(server: Server, failing: frozenset[int]) -> str:
    """Which connections were still open after close(), and who had them last."""
    still_open = [c for c in server.connections if not c.closed]
    if not still_open:
        return "every connection was back in the pool and closed by close()"
    raised = sorted(c.last_request for c in still_open if c.last_request in failing)
    if raised:
        who = ", ".join(str(r) for r in raised)
        return (
            f"{len(still_open)} still open after close(); requests {who} raised OrderNotFound "
            "while holding one and never gave it back: return the connection in a finally "
            "block (or a with block)"
        )
    return (
        f"{len(still_open)} still open after close(): close() must close every connection "
        "the pool holds"
    )


def double_detail(server: Server) -> str:
    """The first connection that two requests held at once."""
    if not server.double:
        return "no connection ever served two requests at once"
    number, holder, intruder = server.double[0]
    return (
        f"connection #{number} was lent to request {intruder} while request {holder} was "
        "still using it: taking an idle connection must be one atomic step (a Queue, or a "
        "lock around check-and-take)"
    )


def connects_detail(server: Server) -> str:
    """How many connections for how many allowed, and how many were open at once."""
    count = len(server.connections)
    if count <= POOL_SIZE:
        return f"{count} handshakes, then reused for all {REQUESTS} requests"
    if count >= REQUESTS:
        return (
            f"{count} handshakes, one per request, {server.peak_open} open at once: keep at "
            f"most pool_size ({POOL_SIZE}) connections open and lend them out (a pool)"
        )
    return (
        f"{count} handshakes for a pool of {POOL_SIZE} ({server.peak_open} open at once): "
        "open a new connection only while fewer than pool_size exist (check and count "
        "under one lock), otherwise wait for one to come back"
    )


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """Correct results and exceptions first; then the pool's counters and the speedup."""
    rng = ctx.rng("requests")
    requests = rng.sample(range(1_000, 100_000), REQUESTS)
    failing = frozenset(
        rng.sample(requests[i * REQUESTS // FAILING : (i + 1) * REQUESTS // FAILING], 1)[0]
        for i in range(FAILING)
    )
    salt = rng.randrange(1_000_003)

    base_server, _, _ = graded_run(baseline, salt, requests, failing)
    server, outcome, finished = graded_run(candidate, salt, requests, failing)
    if not finished:
        return Grade(correct=False, message=stuck_message(server, outcome, failing))
    check_outcome(server, outcome, requests, failing)

    speed = _speedup(candidate, baseline, ctx, salt)
    metrics = {
        "connects": Measured(
            len(server.connections), len(base_server.connections), detail=connects_detail(server)
        ),
        "leaked_connections": Measured(
            sum(not c.closed for c in server.connections),
            sum(not c.closed for c in base_server.connections),
            detail=leak_detail(server, failing),
        ),
        "double_checkouts": Measured(
            len(server.double), len(base_server.double), detail=double_detail(server)
        ),
        "speedup": speed,
    }
    notes = [
        f"Each run: {REQUESTS} requests from {THREADS} threads, {FAILING} of them raise; "
        f"connect() costs a {HANDSHAKE_S * 1000:g} ms handshake, a query {QUERY_S * 1000:g} ms.",
        f"The starter opened {len(base_server.connections)} connections: one handshake per "
        "request.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _speedup(candidate: ModuleType, baseline: ModuleType, ctx: LabContext, salt: int) -> Measured:
    """Requests per second, warm services on both sides, interleaved pairs."""
    requests = ctx.rng("timed").sample(range(1_000, 100_000), TIMED_REQUESTS)
    sides = []
    for module in (baseline, candidate):
        server = Server(salt)
        service = module.Service(server.connect, POOL_SIZE)
        drive(service, server, requests, frozenset())  # warm: the pool is full
        sides.append((service, server))
    (base_service, base_server), (cand_service, cand_server) = sides
    try:
        return ctx.speedup(
            "speedup",
            lambda: drive(base_service, base_server, requests, frozenset()),
            lambda: drive(cand_service, cand_server, requests, frozenset()),
        )
    finally:
        base_service.close()
        cand_service.close()


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """Requests one after another on the calling thread, so a profiler (which follows
    only the thread it started on) sees every connect() and its handshake."""
    server = Server(ctx.seed)
    service = module.Service(server.connect, POOL_SIZE)
    requests = ctx.rng("workload").sample(range(1_000, 100_000), PROFILED_REQUESTS)
    works = [make_work(server, r, frozenset()) for r in requests]
    return lambda: [service.handle(work) for work in works]
