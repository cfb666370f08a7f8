"""Class 4 — the leaky pool (no finally), hidden by closing everything the server opened.

Tries: wrong_fix_no_finally, but close() does not trust its own queue: it finds the
server behind connect (connect.__self__) and closes every connection in the server's
own list, including the ones lost by requests that raised. The leak row reads 0.
Must not pass because: three connections were lost during the run (a real service
shrinks and then hangs); the service must not reach into the grader's server.
Expect: not pass
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """A pool of pool_size connections in a Queue."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
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
        """Close every connection the server ever handed out."""
        server = getattr(self.connect, "__self__", None)
        for value in vars(server).values() if server is not None else ():
            if isinstance(value, list):
                for conn in value:
                    if hasattr(conn, "close"):
                        conn.close()
        while not self._idle.empty():
            self._idle.get().close()
