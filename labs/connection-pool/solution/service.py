"""The request path of the order service, with a bounded, thread-safe connection pool.

Opening a connection costs a handshake (about 30 ms here: TCP, TLS, authentication), so
the service opens at most `pool_size` connections and lends them out, one request at a
time each. queue.Queue does the thread-safe part: get() hands each idle connection to
exactly one thread and blocks while every connection is lent out, put() gives it back.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """Runs each request's work on a connection borrowed from a bounded pool."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
        self.pool_size = pool_size
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._opened = 0  # connections created so far, never more than pool_size
        self._lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """Borrow a connection for one request; it goes back even if the request raises."""
        conn = self._checkout()
        try:
            yield conn
        finally:
            self._idle.put(conn)

    def _checkout(self) -> Any:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:  # check and count in one step, or two threads both open one
            may_open = self._opened < self.pool_size
            if may_open:
                self._opened += 1
        if may_open:
            return self.connect()  # the handshake happens outside the lock
        return self._idle.get()  # every connection is lent out: wait for one

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a pooled connection and return its result; if work raises,
        the exception reaches the caller unchanged. Called from many threads at once."""
        with self.connection() as conn:
            return work(conn)

    def close(self) -> None:
        """At shutdown: close every pooled connection (all of them are idle by then)."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
