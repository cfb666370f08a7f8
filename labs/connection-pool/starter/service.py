"""The request path of the order service: every request runs its work on a database
connection.

The bench gives Service a `connect` function and drives it from 8 worker threads at once.
`connect()` opens a new connection to the database server: TCP, TLS and authentication
take about 30 ms before the first query can run. A connection has one method you need,
`close()`. Run one request's work on one connection at a time: a connection is a single
conversation with the server.

`pool_size` is how many connections the database lets this service hold at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """Runs each request's work on a database connection."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
        self.pool_size = pool_size

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a connection and return its result; if work raises, the
        exception reaches the caller unchanged. Called from many threads at once."""
        conn = self.connect()  # a fresh handshake for every request
        try:
            return work(conn)
        finally:
            conn.close()

    def close(self) -> None:
        """At shutdown: close every connection the service still holds. Every request
        here closes its own connection, so there is nothing left to close."""
