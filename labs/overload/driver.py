"""Runs in the subject, beside the learner's server.py: keeps the server's view, calls the policy.

The traffic, each request's cost and every figure live in the grader. It sends batches of
what a server observes (arrivals, and completions with their service times); the driver
keeps the queue as the policy's answers shape it, calls admit(view) on every arrival and,
whenever a worker is free and requests wait, next_request(view) and drop(request, now) until
one request is served or none waits. It stops at the first serve of a batch (its work's
end is the grader's secret) and returns one reply per event handled. The grader replays
those replies on its own server: this process only ever decides, it never measures.
"""

from __future__ import annotations

import itertools
import operator
import random
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, overload

from perfcoach.driverkit import Keep

RECENT = 20  # service times kept in the view, newest last


class Request(NamedTuple):
    """A request waiting in the queue: its number (in arrival order), when it arrived and
    when its client gives up, in ms of simulated time."""

    id: int
    arrived: float
    deadline: float


class Waiting(Sequence[Request]):
    """The queue as the policy sees it: oldest first, read-only."""

    __slots__ = ("_items",)

    def __init__(self, items: deque[Request]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Request: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Request, ...]: ...

    def __getitem__(self, index: int | slice) -> Request | tuple[Request, ...]:
        if isinstance(index, slice):
            return tuple(self._items)[index]
        return self._items[index]

    def __iter__(self) -> Iterator[Request]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"Waiting({len(self._items)} requests)"


class View:
    """What the server knows when it decides (read-only by contract).

    now: the time of the decision, ms of simulated time
    queue: the requests admitted and waiting, oldest first (a sequence of Request)
    busy: how many workers are serving a request; workers: how many there are
    timeout: how long a client waits before it gives up, ms
    service_ms: the service times of the last RECENT requests finished, newest last
    """

    __slots__ = ("busy", "now", "queue", "service_ms", "timeout", "workers")

    def __init__(self, queue: Waiting, workers: int, timeout: float) -> None:
        self.now = 0.0
        self.queue = queue
        self.busy = 0
        self.workers = workers
        self.timeout = timeout
        self.service_ms: tuple[float, ...] = ()

    def __repr__(self) -> str:
        return (
            f"View(now={self.now}, queue={len(self.queue)} waiting, busy={self.busy}/"
            f"{self.workers}, timeout={self.timeout}, service_ms={self.service_ms})"
        )


class Server:
    """The server's own bookkeeping between batches: the queue and what is in service."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.waiting: deque[Request] = deque()
        self.view = View(Waiting(self.waiting), workers, timeout)
        self.recent: deque[float] = deque(maxlen=RECENT)
        self.numbers = itertools.count()

    def decide(self, module: Any, events: list[tuple[Any, ...]]) -> list[Any]:
        """Handle events in order until the first serve; one reply per event handled."""
        view = self.view
        replies: list[Any] = []
        for event in events:
            view.now = event[1]
            if event[0] == "arrive":
                request = Request(next(self.numbers), event[1], event[1] + view.timeout)
                admitted = bool(module.admit(view))
                if admitted:
                    self.waiting.append(request)
            else:
                admitted = None
                view.busy -= 1
                self.recent.append(event[3])
                view.service_ms = tuple(self.recent)
            dropped, served = self.dispatch(module)
            replies.append((admitted, dropped, served))
            if served is not None:
                break
        return replies

    def dispatch(self, module: Any) -> tuple[list[Any], Any]:
        """With a worker free: ask which request to serve, drop what the policy drops."""
        view = self.view
        dropped: list[Any] = []
        while view.busy < view.workers and self.waiting:
            answer = module.next_request(view)
            try:
                position = operator.index(answer)
            except TypeError:
                return dropped, ("bad", repr(answer)[:80], len(self.waiting))
            if not -len(self.waiting) <= position < len(self.waiting):
                return dropped, ("bad", repr(answer)[:80], len(self.waiting))
            request = self.waiting[position]
            del self.waiting[position]
            if module.drop(request, view.now):
                dropped.append(request.id)
                continue
            view.busy += 1
            return dropped, request.id
        return dropped, None


def start(module: Any, workers: int, timeout: float, seed: int) -> Keep:
    """A fresh server for one run; `random` is seeded so the same code repeats exactly."""
    random.seed(seed)
    return Keep(Server(workers, timeout))


def decide(module: Any, server: Server, events: list[tuple[Any, ...]]) -> list[Any]:
    """One batch: events in, one reply per event handled out."""
    return server.decide(module, events)


def replay(module: Any, workers: int, timeout: float, seed: int, batches: list[list[Any]]) -> int:
    """Batches recorded from a run, for `lab profile`: how many events were handled."""
    random.seed(seed)
    server = Server(workers, timeout)
    return sum(len(server.decide(module, events)) for events in batches)
