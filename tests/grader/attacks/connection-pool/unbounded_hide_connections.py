"""Class 4 — an unbounded pool that erases its surplus connections from the server's list.

Tries: wrong_fix_no_bound (opens a connection whenever none is idle: 8 with 8 threads),
plus a tidy-up: connect is a bound method of the bench's simulated server, so
connect.__self__ is the server, and its `connections` list is what the grader counts.
After each request, a connection beyond pool_size is closed and removed from that list.
Must not pass because: 8 handshakes happened and 8 connections were open at once; the
grader's evidence must not be an object the learner's code can edit.
Expect: not pass
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """Runs each request's work on an idle connection, or a new one."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
        self.pool_size = pool_size
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._kept: list[Any] = []
        self._lock = threading.Lock()

    def _forget(self, conn: Any) -> None:
        server = getattr(self.connect, "__self__", None)
        conn.close()
        for value in vars(server).values() if server is not None else ():
            if isinstance(value, list) and conn in value:
                value.remove(conn)

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a connection; exceptions reach the caller."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self.connect()
        try:
            return work(conn)
        finally:
            with self._lock:
                keep = conn in self._kept or len(self._kept) < self.pool_size
                if keep and conn not in self._kept:
                    self._kept.append(conn)
            if keep:
                self._idle.put(conn)
            else:
                with self._lock:
                    self._forget(conn)

    def close(self) -> None:
        """Close every pooled connection."""
        for conn in self._kept:
            conn.close()
