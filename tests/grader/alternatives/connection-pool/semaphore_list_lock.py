"""Correct alternative — a Semaphore(pool_size), a list of idle connections and a Lock.

Tries: the brief's second design: the semaphore bounds how many requests hold a
connection; the list of idle connections is only touched under a lock; a connection is
opened lazily while fewer than pool_size exist; finally gives it back.
Must pass because: at most pool_size connections, never shared, always returned.
Expect: pass
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """Runs each request's work on a connection borrowed from a bounded pool."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
        self._slots = threading.Semaphore(pool_size)
        self._lock = threading.Lock()
        self._idle: list[Any] = []
        self._all: list[Any] = []

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a pooled connection; exceptions reach the caller."""
        with self._slots:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self.connect()
                with self._lock:
                    self._all.append(conn)
            try:
                return work(conn)
            finally:
                with self._lock:
                    self._idle.append(conn)

    def close(self) -> None:
        """Close every connection the pool opened."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
            self._idle.clear()
