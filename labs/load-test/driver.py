"""Runs beside the learner's shop.py: its Locust user against a recording client, and its
price handler behind a real HTTP server on 127.0.0.1.

Part A drives the learner's user class with Locust's own task loop (`User.run`, the
`TaskSet` machinery, `@task` weights, `tasks` lists and dicts, nested TaskSets and the
learner's `wait_time`), on a virtual clock: Locust's sleep only moves that clock, and the
recording client answers every request at once, after 50 virtual milliseconds. Locust is
imported here, before the learner's module, with its gevent monkey-patching switched off
(`LOCUST_SKIP_MONKEY_PATCH`): patching sockets and threads would break the harness's own
threads, and the task loop needs none of it. Every request is returned to the grader,
which classifies it and counts the shares and the stats rows there.

Part B serves GET /price/<sku> with a ThreadingHTTPServer bound to 127.0.0.1 on a port the
kernel picks (the only bind this lab's sandbox allows); each request calls the learner's
`price(sku, db)`, whose `db.quote(sku)` is a round trip to the database in the grader. A
request the grader marks as a race request waits until all the race requests have arrived,
then runs with a pause of 0.2 to 2 ms before each line of the learner's file, so requests
for one product interleave inside price() every time, in an order that varies. Every
request thread carries the same tracer (paused or not), and a frame whose tracing price()
switched off is reported.
The grader sends the requests, times them and counts the database calls; this side only
serves, and stops after the number of requests it was told, or at its deadline.

Everything is built by `_build()`, once, when the harness loads this file before the
learner's module exists: the entry points close over what they use, so replacing an
attribute of this module, of locust or of the standard library from the learner's code
changes nothing here.
"""

from __future__ import annotations

import os

os.environ["LOCUST_SKIP_MONKEY_PATCH"] = "1"

import contextlib
import http.server
import importlib
import inspect
import json
import random
import socketserver
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType, ModuleType
from typing import Any
from urllib.parse import urlencode, urlsplit
from zlib import crc32

import locust
from locust.env import Environment
from locust.exception import StopUser

from perfcoach.driverkit import Keep, Remote

RESPONSE_S = 0.05  # virtual seconds the recording client takes to answer a request
RACE_PAUSE_S = (0.0002, 0.002)  # before each line of the learner's file, in a race request
GATHER_S = 2.0  # at most this long, race requests wait for each other before price()
INSTALL_TRIES = 50
HOST = "http://shop.test"


def _build() -> tuple[Callable[..., Any], ...]:
    """The driver's entry points, closed over the objects they use."""
    user_base, taskset_base, stop_user, environment = (
        locust.User,
        locust.TaskSet,
        StopUser,
        Environment,
    )
    # By module name: `locust.user.task` as an attribute is the @task decorator.
    task_module = importlib.import_module("locust.user.task")
    wait_module = importlib.import_module("locust.user.wait_time")
    seed_random = random.seed
    isclass, split, encode, dumps = inspect.isclass, urlsplit, urlencode, json.dumps
    event_class, thread_class = threading.Event, threading.Thread
    barrier_class, broken = threading.Barrier, threading.BrokenBarrierError
    suppress = contextlib.suppress
    sleep, settrace, tracing = time.sleep, sys.settrace, threading.Lock()
    # The learner's file is the only code in the subject's own folder, the working
    # directory the harness loads this file in (spelled both ways, in case of a symlink).
    here = os.getcwd()
    learner_code = tuple({os.path.join(here, ""), os.path.join(os.path.realpath(here), "")})
    lock_class, keep = threading.Lock, Keep
    getframe, gettrace, getprofile = sys._getframe, sys.gettrace, sys.getprofile
    thread_trace, thread_profile, checksum = threading.gettrace, threading.getprofile, crc32
    wait_code = taskset_base.wait.__code__  # Locust's TaskSet.wait: sleeps for wait_time()

    class Response:
        """What the recording client answers: 200, an empty JSON body."""

        status_code = 200
        ok = True
        text = "{}"
        content = b"{}"
        headers: dict[str, str] = {}  # noqa: RUF012 (read-only, as a requests response)
        url = ""

        def json(self) -> dict[str, Any]:
            return {}

        def raise_for_status(self) -> None:
            """A 200 never raises."""

        def success(self) -> None:
            """catch_response=True: mark the request a success (it is one)."""

        def failure(self, exc: object = None) -> None:
            """catch_response=True: mark the request failed (nothing to do here)."""

        def __enter__(self) -> Response:
            return self

        def __exit__(self, *exc: object) -> None:
            """Exceptions in the with block propagate, as with requests."""

    def tally() -> Any:
        """Part A's counts, kept in a generator's frame: its locals cannot be assigned from
        Python, and it adds only what the recording client's request() and a sleep called
        by Locust's TaskSet.wait send it (their frames are checked), so neither a clock
        moved by hand nor a request record edited afterwards changes the figures. Sending
        None reads (requests, waits, seconds waited, checksum of the requests)."""
        requests = waits = 0
        waited = 0.0
        digest = 0
        request_code, sleep_code = yield None
        message = yield None
        while True:
            if message is not None:
                kind, value = message
                caller = getframe(1).f_code
                if kind == "r" and caller is request_code:
                    digest = checksum(f"{value}\x00{waits}\n".encode(), digest)
                    requests += 1
                elif kind == "w" and caller is sleep_code and getframe(2).f_code is wait_code:
                    waits += 1
                    waited += value
            message = yield requests, waits, waited, digest

    def recorder(
        count: Any, sent: list[tuple[str, str, str | None, int]], limit: int
    ) -> tuple[Any, Callable[..., Response]]:
        """Stands in for HttpSession: records (method, url, name, task) of every request,
        and adds it to the tally, which checks the record afterwards."""

        def request(
            method: str, url: str, name: str | None = None, params: Any = None, **_: Any
        ) -> Response:
            if params:  # as requests builds the URL: the query string from params
                query = params if isinstance(params, str) else encode(params, doseq=True)
                url = f"{url}{'&' if '?' in str(url) else '?'}{query}"
            record = (str(method).upper(), str(url), None if name is None else str(name))
            done, task, _, _ = count(("r", dumps(record)))
            sent.append((*record, task))
            if done >= limit:
                raise stop_user()
            return Response()

        def verb(method: str) -> Callable[..., Response]:
            def send(url: str, *_: Any, **kw: Any) -> Response:
                kw.pop("data", None)
                kw.pop("json", None)
                return request(method, url, **kw)

            return send

        class Client:
            __slots__ = ()

        client = Client()
        for method in ("get", "post", "put", "patch", "delete", "head", "options"):
            setattr(Client, method, staticmethod(verb(method.upper())))
        Client.request = staticmethod(request)  # type: ignore[attr-defined]
        return client, request

    def user_class(module: ModuleType) -> type[Any]:
        """The one Locust user class shop.py defines."""
        found = [
            value
            for value in vars(module).values()
            if isclass(value)
            and issubclass(value, user_base)
            and not value.__dict__.get("abstract", False)
            and value.__module__ == module.__name__
        ]
        if len(found) != 1:
            names = ", ".join(c.__name__ for c in found) or "none"
            raise TypeError(
                f"shop.py must define exactly one Locust user class (an HttpUser subclass); "
                f"found {names}. The mix is one shopper's: weights on its @task methods (or a "
                "tasks dict), not user classes with a weight each"
            )
        return found[0]

    def run_user(module: ModuleType, seed: int, tasks: int) -> dict[str, Any]:
        """Run the user's task loop until `tasks` requests were sent (one per task), with
        random seeded; every request with the task that sent it, and the tally's counts
        (the grader checks the record against them and derives the virtual time)."""
        counts = tally()
        next(counts)
        count = counts.send
        sent: list[tuple[str, str, str | None, int]] = []
        sleeps = [0]

        def clock() -> float:
            """Virtual time: 50 ms per answer plus every wait the tally counted."""
            done, _, waited, _ = count(None)
            return 1000.0 + done * RESPONSE_S + waited

        def sleep(_self: Any, seconds: float) -> None:
            count(("w", max(0.0, float(seconds))))
            sleeps[0] += 1
            if sleeps[0] > 3 * tasks:  # tasks that send nothing: stop all the same
                raise stop_user()

        client, request = recorder(count, sent, tasks)
        count((request.__code__, sleep.__code__))  # before any of the learner's code runs
        cls = user_class(module)
        if getattr(cls, "host", None) is None:
            cls.host = HOST  # what `locust --host` does
        patched = (
            (taskset_base, "_sleep", sleep),
            (task_module, "perf_counter", clock),
            (wait_module, "perf_counter", clock),
        )
        saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in patched]
        seed_random(seed)
        try:
            for owner, name, value in patched:
                setattr(owner, name, value)
            user = cls(environment(user_classes=[cls], host=HOST, catch_exceptions=False))
            user.client = client
            user._cp_last_run = clock()
            user.run()
        finally:
            for owner, name, value in saved:
                setattr(owner, name, value)
        requests, waits, waited, digest = count(None)
        traced = any(f() is not None for f in (gettrace, getprofile, thread_trace, thread_profile))
        return {
            "requests": sent,
            "tally": [requests, waits, waited, digest],
            "traced": traced,
        }

    paced, jitter = threading.local(), random.Random().uniform

    # The tracer's state is in default arguments, which the sandbox does not let the
    # learner's code rewrite (a closure's cells it could).
    def line(
        frame: FrameType,
        event: str,
        arg: object,
        paced: Any = paced,
        nap: Any = sleep,
        jitter: Any = jitter,
    ) -> Any:
        if event == "line" and paced.on:
            nap(jitter(*RACE_PAUSE_S))
        elif event == "return" and frame.f_trace_lines:
            paced.returns += 1
        return frame.f_trace

    def trace(
        frame: FrameType, event: str, arg: object, paced: Any = paced, line: Any = line
    ) -> Any:
        if not frame.f_code.co_filename.startswith(learner_code):
            return None
        paced.calls += 1
        return line

    def amplify(race: bool) -> None:
        """On this server thread, pause 0.2 to 2 ms (at random) before every line of the
        learner's file, if this is a race request.

        A view count read on one line and written on another is only wrong when another
        request for the same product runs in between. The race requests (sent at once,
        for one product) make that happen in every run instead of once a week; a lock
        around the count, or one atomic step, stays right. Every request thread gets the
        same tracer, paused or not, so sys.gettrace() does not tell a race request from
        another. A request thread serves one connection and ends, and its tracer with it.
        On CPython 3.11 sys.settrace fails with RuntimeError while another thread is
        inside it, so threads install it one at a time, and retry.
        """
        paced.on, paced.calls, paced.returns = race, 0, 0
        for _ in range(INSTALL_TRIES):
            try:
                with tracing:
                    settrace(trace)
                return
            except RuntimeError:
                sleep(0.001)

    class Server(http.server.ThreadingHTTPServer):
        """The shop's price service: a thread per connection, loopback only."""

        daemon_threads = True
        block_on_close = False
        request_queue_size = 64  # the race requests connect at once: a backlog of 5 drops
        # some, and the kernel retries them a second later

        def server_bind(self) -> None:
            socketserver.TCPServer.server_bind(self)  # no reverse DNS lookup of the host
            host, port = self.server_address[:2]
            self.server_name, self.server_port = str(host), int(port)

    class Service:
        """The server, its thread, and what it answered."""

        def __init__(self, module: ModuleType, db: Remote) -> None:
            self.module = module
            self.db = Database(db)
            self.lock = lock_class()
            self.answered = 0
            self.busy = 0
            self.expected = 0
            self.enough = event_class()
            self.failure: BaseException | None = None
            self.gate: threading.Barrier | None = None
            service = self

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self) -> None:
                    service.handle(self)

                def log_message(self, format: str, *args: Any) -> None:
                    """Quiet: the grader keeps the figures."""

            self.server = Server(("127.0.0.1", 0), Handler)
            self.thread = thread_class(
                target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
            )
            self.thread.start()

        def handle(self, request: http.server.BaseHTTPRequestHandler) -> None:
            with self.lock:
                self.busy += 1
            try:
                together = int(request.headers.get("X-Race", "0") or 0)
                amplify(together > 1)
                if together > 1:
                    self.start_together(together)
                status, body = self.answer(request.path)
                request.send_response(status)
                request.send_header("Content-Type", "application/json")
                request.send_header("Content-Length", str(len(body)))
                request.end_headers()
                request.wfile.write(body)
            finally:
                with self.lock:
                    self.busy -= 1
                    self.answered += 1
                    if self.expected and self.answered >= self.expected:
                        self.enough.set()

        def start_together(self, parties: int) -> None:
            """Hold a race request until all of them have arrived, so that they enter
            price() at the same moment however far apart their threads started."""
            with self.lock:
                if self.gate is None:
                    self.gate = barrier_class(parties)
            with suppress(broken):  # one never came: the others go on
                self.gate.wait(GATHER_S)

        def answer(self, path: str) -> tuple[int, bytes]:
            parts = split(path).path.split("/")
            if len(parts) != 3 or parts[1] != "price" or not parts[2]:
                return 404, b'{"error": "no such page"}'
            try:
                result = self.module.price(parts[2], self.db)
                if paced.calls != paced.returns:
                    raise RuntimeError(
                        "price() switched off the check's tracer on its own frames "
                        "(f_trace or f_trace_lines): each line of price() is paused in "
                        "the race requests, and that pause is the check's"
                    )
                return 200, dumps(result).encode()
            except BaseException as exc:
                if self.failure is None:
                    self.failure = exc
                return 500, dumps({"error": type(exc).__name__}).encode()

    class Database:
        """The database client price() is given: one method, a round trip to the grader."""

        __slots__ = ("_remote",)

        def __init__(self, remote: Remote) -> None:
            self._remote = remote

        def quote(self, sku: str) -> dict[str, Any]:
            """The current price of sku and a quote id: about 20 ms on the database."""
            return dict(self._remote.call("quote", sku))

        def __repr__(self) -> str:
            return "<the price database>"

    def open_service(module: ModuleType, db: Remote) -> Keep:
        """Start the HTTP service; the grader asks for its port next."""
        return keep(Service(module, db))

    def port(module: ModuleType, service: Service) -> int:
        """The port the kernel gave the service."""
        return int(service.server.server_address[1])

    def serve(
        module: ModuleType, service: Service, requests: int, deadline_s: float
    ) -> dict[str, Any]:
        """Serve until `requests` were answered or the deadline passed, then stop the
        server and close its socket; re-raise the first exception price() raised."""
        with service.lock:
            service.expected = requests
            if service.answered >= requests:
                service.enough.set()
        service.enough.wait(deadline_s)
        service.server.shutdown()
        service.server.server_close()
        service.thread.join(deadline_s)
        if service.failure is not None:
            raise service.failure
        with service.lock:
            return {"answered": service.answered, "busy": service.busy}

    def price_many(module: ModuleType, db: Remote, skus: list[str]) -> list[Any]:
        """price() for each sku in turn, without HTTP, for the profilers."""
        client = Database(db)
        return [module.price(sku, client) for sku in skus]

    return run_user, open_service, port, serve, price_many


run_user, open_service, port, serve, price_many = _build()
