"""Wrong fix — a bounded queue pool that gives the connection back only on success.

Tries: get(), work, put(): correct until a request raises.
Must not pass because: each request that raises keeps its connection forever (three of
them in the graded run); they are never closed.
Expect: fail on leaked_connections
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """A pool of pool_size connections in a Queue."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self._idle: queue.Queue[Any] = queue.Queue()
        for _ in range(pool_size):
            self._idle.put(connect())

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a pooled connection."""
        conn = self._idle.get()
        result = work(conn)
        self._idle.put(conn)
        return result

    def close(self) -> None:
        """Close every idle connection."""
        while not self._idle.empty():
            self._idle.get().close()
