"""Wrong fix — reuse idle connections, open a new one whenever none is idle.

Tries: a thread-safe queue of idle connections, but no limit: with 8 threads asking at
once, the pool grows to 8.
Must not pass because: the server allows pool_size (4) connections to this service.
Expect: fail on connects
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """Runs each request's work on an idle connection, or a new one."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
        self.pool_size = pool_size
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._all: list[Any] = []

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a connection; exceptions reach the caller."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self.connect()
            self._all.append(conn)
        try:
            return work(conn)
        finally:
            self._idle.put(conn)

    def close(self) -> None:
        """Close every connection ever opened."""
        for conn in self._all:
            conn.close()
