"""Runs beside the learner's service.py: the worker threads, `connect`, and each request's work.

The database server lives in the grader. `connect()` is a round trip there that answers
after the simulated handshake; each request's work runs its query as a service call that
marks the connection busy until the work reports it is done (an event), and `close()`
hangs up: connections opened, double checkouts, queries on closed connections and
connections left open are all counted in the grader. This file only builds the objects
the brief describes around that remote server and runs the requests from worker threads.

While the graded run drives the service, a race amplifier lets other threads in between
any two lines of the learner's file, so a check-then-take race shows up in every run. It
is installed as each worker thread starts, before any learner code runs on it; the
sandbox refuses changing that thread's trace function afterwards (so `sys.settrace(None)`
cannot switch it off).

Everything is built by `_build()` below, once, when the harness loads this file before the
learner's module exists: the entry points close over what they use, so replacing an
attribute of this module (it is in sys.modules) or of `time`, `sys` or `threading` from
the learner's code changes nothing here.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from types import FrameType, ModuleType
from typing import Any

from perfcoach.driverkit import EventLog, Keep, Remote

SWITCH_INTERVAL_S = 1e-5  # Python's default is 5e-3: threads swap more often in the graded run
INSTALL_TRIES = 50


def _build() -> tuple[Callable[..., Any], ...]:
    """The driver's entry points, closed over the objects they use."""
    sleep, monotonic, settrace = time.sleep, time.monotonic, sys.settrace
    getswitch, setswitch = sys.getswitchinterval, sys.setswitchinterval
    thread_class, barrier_class, tracing = threading.Thread, threading.Barrier, threading.Lock()
    simple_queue, empty = queue.SimpleQueue, queue.Empty
    bind, keep, tries, switch_interval = partial, Keep, INSTALL_TRIES, SWITCH_INTERVAL_S
    # The learner's files are the only code in the subject's own folder, the working
    # directory the harness loads this file in (spelled both ways, in case of a symlink).
    here = os.getcwd()
    learner_code = tuple({os.path.join(here, ""), os.path.join(os.path.realpath(here), "")})

    class OrderNotFound(LookupError):
        """What a failing request's work raises, as a real handler would for a bad id."""

    class Connection:
        """A connection to the order database: only close() is for the service to call."""

        def __init__(self, server: Remote, number: int) -> None:
            self._server = server
            self._number = number

        def close(self) -> None:
            """Hang up; a closed connection cannot run queries."""
            self._server.call("close", self._number)

        def __repr__(self) -> str:
            return f"<connection #{self._number} to the order database>"

    def connector(server: Remote) -> Callable[[], Connection]:
        def connect() -> Connection:
            """Open a new connection: a handshake of about 30 ms with the database server."""
            return Connection(server, server.call("connect"))

        return connect

    def make_work(server: Remote, done: EventLog, request: int, fails: bool) -> Any:
        """One request's work: its query on the connection it is given (busy on the server
        until `done` says the work is over), then its exception if it is a failing one."""

        def work(conn: Any) -> Any:
            if not isinstance(conn, Connection):
                raise TypeError(f"handle() passed {type(conn).__name__} to work, not a connection")
            try:
                value = server.call("query", conn._number, request)
            finally:
                done.write(conn._number, request)
            if fails:
                raise OrderNotFound(f"request {request}: order not found")
            return value

        return work

    def amplify() -> None:
        """Let other threads run between any two lines of the learner's code, on this thread.

        A pool that checks for an idle connection on one line and takes it on the next
        is only wrong when another thread runs in between. Real servers make that happen
        once in a while; yielding the GIL at every line of the service makes it happen in
        every run that has contention. On CPython 3.11 sys.settrace fails with
        RuntimeError while another thread is inside it (the audit hook makes that window
        wide), so the workers install it one at a time, all before any of them runs the
        learner's code, and retry if the learner's code was changing its own trace.
        """

        def line(frame: FrameType, event: str, arg: object) -> Any:
            if event == "line":
                sleep(0)
            return line

        def trace(frame: FrameType, event: str, arg: object) -> Any:
            return line if frame.f_code.co_filename.startswith(learner_code) else None

        for attempt in range(tries):
            try:
                with tracing:
                    settrace(trace)
                return
            except RuntimeError:
                if attempt == tries - 1:
                    raise RuntimeError(
                        "the check could not install its race amplifier: something in your "
                        "code keeps installing trace functions (sys.settrace)"
                    ) from None
                sleep(0.001)

    def on_new_threads(
        jobs: list[Callable[[], None]], deadline_s: float, crashed: list[BaseException]
    ) -> bool:
        """Run each job on a new thread with the race amplifier, all starting together;
        False if some thread was still busy at the deadline (daemon threads: a stuck one
        stays stuck, and the subject ends with the check)."""
        start = barrier_class(len(jobs))  # no job starts before every tracer is in place

        def run(job: Callable[[], None]) -> None:
            try:
                amplify()
            except BaseException as exc:
                crashed.append(exc)
            start.wait()
            if not crashed:
                job()

        threads = [thread_class(target=run, args=(job,), daemon=True) for job in jobs]
        deadline = monotonic() + deadline_s
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - monotonic()))
        return not any(thread.is_alive() for thread in threads)

    class Crew:
        """Worker threads kept between timed batches, as a server keeps its workers:
        starting threads is not what the timing is about."""

        def __init__(self, size: int) -> None:
            self.inboxes = [simple_queue() for _ in range(size)]
            self.finished = simple_queue()
            for inbox in self.inboxes:
                thread_class(target=self._serve, args=(inbox,), daemon=True).start()

        def _serve(self, inbox: Any) -> None:
            while (job := inbox.get()) is not None:
                job()
                self.finished.put(True)

        def run(self, jobs: list[Callable[[], None]], deadline_s: float) -> bool:
            """Each job on its own worker; False if some were still busy at the deadline."""
            deadline = monotonic() + deadline_s
            for inbox, job in zip(self.inboxes, jobs, strict=True):
                inbox.put(job)
            try:
                for _ in jobs:
                    self.finished.get(timeout=max(0.0, deadline - monotonic()))
            except empty:
                return False
            return True

        def stop(self) -> None:
            """Let the workers end."""
            for inbox in self.inboxes:
                inbox.put(None)

    def serve_requests(
        service: Any,
        server: Remote,
        done: EventLog,
        requests: list[int],
        failing: set[int],
        threads: int,
        run_jobs: Callable[[list[Callable[[], None]], list[BaseException]], bool],
    ) -> dict[str, Any]:
        """The requests, split over `threads` jobs run by run_jobs: what each returned or
        raised, and whether every job finished before the deadline."""
        results: dict[int, Any] = {}
        errors: list[int] = []
        crashed: list[BaseException] = []

        def share(mine: list[int]) -> None:
            try:
                for request in mine:
                    work = make_work(server, done, request, request in failing)
                    try:
                        results[request] = service.handle(work)
                    except OrderNotFound:
                        errors.append(request)
            except BaseException as exc:  # re-raised below, from the driver's own thread
                crashed.append(exc)

        jobs = [bind(share, requests[i::threads]) for i in range(threads)]
        finished = run_jobs(jobs, crashed)
        if crashed:
            raise crashed[0]
        return {"results": dict(results), "errors": sorted(errors), "finished": finished}

    def graded(
        module: ModuleType,
        server: Remote,
        done: EventLog,
        pool_size: int,
        requests: list[int],
        failing: list[int],
        threads: int,
        deadline_s: float,
    ) -> dict[str, Any]:
        """A new Service, every request from new worker threads with races amplified, then
        Service.close() (only if the run finished: a stuck pool cannot be closed)."""
        service = module.Service(connector(server), pool_size)
        previous = getswitch()
        setswitch(switch_interval)
        try:
            outcome = serve_requests(
                service, server, done, requests, set(failing), threads,
                lambda jobs, crashed: on_new_threads(jobs, deadline_s, crashed),
            )  # fmt: skip
        finally:
            setswitch(previous)
        if outcome["finished"]:
            service.close()
        return outcome

    def open_service(module: ModuleType, server: Remote, pool_size: int, threads: int) -> Keep:
        """A Service and its worker threads, kept here between timed batches."""
        return keep((module.Service(connector(server), pool_size), Crew(threads)))

    def batch(
        module: ModuleType,
        kept: tuple[Any, Crew],
        server: Remote,
        done: EventLog,
        requests: list[int],
        deadline_s: float,
    ) -> dict[str, Any]:
        """One timed batch on the kept service and workers: no request fails, no amplifier."""
        service, crew = kept
        return serve_requests(
            service, server, done, requests, set(), len(crew.inboxes),
            lambda jobs, _crashed: crew.run(jobs, deadline_s),
        )  # fmt: skip

    def close(module: ModuleType, kept: tuple[Any, Crew]) -> None:
        """Shut the kept service down, and let its workers end."""
        service, crew = kept
        crew.stop()
        service.close()

    def sequential(
        module: ModuleType, server: Remote, done: EventLog, pool_size: int, requests: list[int]
    ) -> list[Any]:
        """Requests one after another on the calling thread, for the profilers (which follow
        only the thread they started on)."""
        service = module.Service(connector(server), pool_size)
        try:
            return [service.handle(make_work(server, done, r, False)) for r in requests]
        finally:
            service.close()

    return graded, open_service, batch, close, sequential


graded, open_service, batch, close, sequential = _build()
