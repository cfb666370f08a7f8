"""Runs beside the learner's page.py: hands render_page a client of the grader's services
and runs it on an event loop whose only clock is the grader's simulated one.

The four services run in the grader, one fresh set per page. Nothing here sleeps or reads
a clock: a call is queued, and when every task of the handler is waiting (the event loop
has nothing ready to run) this file sends the queued calls to the grader and asks it for
the next answer. The grader stamps each call with its simulated clock as it arrives,
moves the clock to the earliest finish among the calls in flight, and answers the calls
that finish then. So calls issued before any answer arrived start together, a call
issued after an answer starts after it, and only the grader knows the times: this file
holds a copy of the clock (client.now()) for the handler to read, nothing else.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from types import ModuleType
from typing import Any

from perfcoach.driverkit import Remote, RemoteError

MAX_IDLE_POLLS = 2000  # 1 ms polls with nothing to advance: the handler waits on no service
MAX_BUSY_PASSES = 2000  # loop passes with a task always ready: the handler never waits
US = 1_000_000


class DeadlineExceeded(TimeoutError):
    """The call's timeout ran out before the service answered (or it had none left)."""


class ServiceUnavailable(ConnectionError):
    """The service refused the call: it is down."""


class _Stuck(RuntimeError):
    """The handler can make no progress on this clock: the driver stops the page."""


ERRORS: dict[str, type[Exception]] = {
    "deadline": DeadlineExceeded,
    "unavailable": ServiceUnavailable,
}


class _Sim:
    """The queue of calls not yet sent and the futures of the calls in flight."""

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.now_us = 0
        self.queued: list[list[Any]] = []
        self.waiting: dict[int, asyncio.Future[Any]] = {}
        self.tickets = itertools.count(1)
        self.retired = False  # its page has returned: nobody sends its calls any more

    async def call(self, service: str, method: str, args: list[Any], timeout: Any) -> Any:
        """Queue one call and wait for the grader's answer to it."""
        if timeout is not None and not isinstance(timeout, int | float):
            raise TypeError(f"timeout must be a number of seconds or None, not {timeout!r}")
        if self.retired:
            raise _Stuck(
                "a call through an earlier page's client: its services are gone. Use the "
                "client render_page was given for this page"
            )
        ticket = next(self.tickets)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting[ticket] = future
        self.queued.append([ticket, service, method, args, timeout])
        return await future

    def advance(self) -> bool:
        """Send the queued calls, take the next answers; False if nothing is in flight."""
        sends, self.queued = self.queued, []
        now_us, done = self.remote.call("advance", sends)
        self.now_us = now_us
        for ticket, outcome, value in done:
            future = self.waiting.pop(ticket)
            if future.done():  # its task was cancelled meanwhile
                continue
            if outcome == "ok":
                future.set_result(value)
            else:
                future.set_exception(ERRORS[outcome](value))
        return bool(done)

    def flush(self) -> None:
        """Send the calls queued but never awaited, so that they are counted too."""
        sends, self.queued = self.queued, []
        if sends:
            self.remote.call("flush", sends)


class _Service:
    """One service's methods as coroutines: `await client.users.get(user_id, timeout=…)`."""

    __slots__ = ("_methods", "_name", "_sim")

    def __init__(self, sim: _Sim, name: str, methods: tuple[str, ...]) -> None:
        self._sim = sim
        self._name = name
        self._methods = methods

    def __getattr__(self, method: str) -> Any:
        if method not in self._methods:
            raise AttributeError(f"the {self._name} service has no method {method!r}")

        async def call(*args: Any, timeout: float | None = None) -> Any:
            return await self._sim.call(self._name, method, list(args), timeout)

        return call

    def __repr__(self) -> str:
        return f"<{self._name} service: {', '.join(self._methods)}>"


class Client:
    """What render_page gets: four services, the simulated clock and the limits."""

    DeadlineExceeded = DeadlineExceeded
    ServiceUnavailable = ServiceUnavailable

    def __init__(self, sim: _Sim, max_in_flight: int, max_batch: int) -> None:
        self._sim = sim
        self.max_in_flight = max_in_flight
        self.max_batch = max_batch
        self.users = _Service(sim, "users", ("get",))
        self.cart = _Service(sim, "cart", ("get",))
        self.prices = _Service(sim, "prices", ("get", "get_many"))
        self.recommendations = _Service(sim, "recommendations", ("for_user",))

    def now(self) -> float:
        """Simulated seconds since the page's request arrived (the grader's clock)."""
        return self._sim.now_us / US

    def __repr__(self) -> str:
        return (
            f"<Client: users, cart, prices, recommendations; max_in_flight="
            f"{self.max_in_flight}, max_batch={self.max_batch}>"
        )


async def _pump(sim: _Sim, handler: Coroutine[Any, Any, Any]) -> Any:
    """Run the handler; whenever nothing else can run, let the grader's clock move on."""
    loop = asyncio.get_running_loop()
    task = loop.create_task(handler)
    idle = busy = 0
    try:
        while not task.done():
            await asyncio.sleep(0)
            # asyncio has no public "nothing is ready" query: _ready is the run queue of
            # CPython's BaseEventLoop; while a callback waits in it, a task can still call
            if loop._ready or task.done():  # type: ignore[attr-defined]
                busy += 1
                if busy > MAX_BUSY_PASSES:
                    raise _Stuck(
                        "render_page never lets every task wait: a task polls in a loop "
                        "(asyncio.sleep(0), call_soon) instead of awaiting, so the clock, "
                        "which moves only when every task waits for a service, never moves "
                        "and no call is ever answered. Await the calls (gather, a "
                        "TaskGroup, asyncio.wait) instead of polling them"
                    )
                continue
            busy = 0
            if sim.queued or sim.waiting:
                sim.advance()
                idle = 0
                continue
            idle += 1
            if idle > MAX_IDLE_POLLS:
                raise _Stuck(
                    "render_page is waiting for something that is not a service call (time "
                    "here is simulated: asyncio.sleep and asyncio.timeout run on real time, "
                    "which the page's clock ignores)"
                )
            await asyncio.sleep(0.001)
        return task.result()
    finally:
        if not task.done():
            task.cancel()
        rest = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
        for other in rest:
            other.cancel()
        if rest:  # a task that waits for a call while cancelled gets no answer: bounded
            await asyncio.wait(rest, timeout=1.0)
        sim.flush()


def _one(module: ModuleType, remote: Remote, request: dict[str, Any], limits: Any) -> Any:
    """One page: ["page", what render_page returned] or ["error", what it raised]."""
    sim = _Sim(remote)
    client = Client(sim, *limits)
    loop = asyncio.new_event_loop()
    try:
        page = loop.run_until_complete(_pump(sim, module.render_page(client, dict(request))))
    except (RemoteError, _Stuck) as exc:  # the grader (or this clock) stopped the page
        return ["error", f"stopped this page: {exc}"[:400]]
    except Exception as exc:  # the page failed: the grader is told why
        return ["error", f"{type(exc).__name__}: {exc}"[:400]]
    finally:
        sim.retired = True
        loop.close()
    return ["page", page]


def page(module: ModuleType, services: Remote, request: Any, limits: Any) -> Any:
    """One page request, with this page's own services (a fresh set per page)."""
    return _one(module, services, request, limits)
