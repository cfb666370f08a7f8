"""What a lab's driver.py is written against: proxies of the grader's services, event logs.

driver.py runs in the subject process next to the learner's module, so it holds nothing
secret: it receives inputs, calls the learner's code, and returns what it returned. Each
driver function is called as `fn(module, *args)` where module is the learner's module (or
the starter, in the baseline subject) and every service handle in args arrives as one of
these proxies:

- `Remote`: a grader-side object; `call(method, *args)` (or `await acall(...)`) is one
  round trip, counted and answered by the grader, which the learner's code cannot skip;
- `EventLog`: `write(*record)` streams a record to the grader at once, so what a fake
  saw is counted outside the process even if the fake's own state is tampered with;
- `RemoteConnection`: a sqlite3-style connection whose database lives in the grader.

A driver function may return `Keep(obj)` to keep an object (say the learner's cache)
alive in the subject; the grader gets a `Ref` to pass back to later calls. This module
is imported by the subject harness before the learner's code: stdlib only.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class RemoteError(RuntimeError):
    """A service refused a call; its message says why in the learner's terms."""


@dataclass(frozen=True)
class Keep:
    """Returned by a driver function: keep value in the subject, give the grader a Ref."""

    value: Any


class Channel(Protocol):
    """The subject harness's side of the wire, as proxies see it."""

    def call(self, handle: int, method: str, args: tuple[Any, ...]) -> Any: ...

    async def acall(self, handle: int, method: str, args: tuple[Any, ...]) -> Any: ...

    def event(self, handle: int, record: tuple[Any, ...]) -> None: ...


class Remote:
    """A grader-side object: every call is a round trip the grader counts and answers."""

    __slots__ = ("_channel", "_handle")

    def __init__(self, channel: Channel, handle: int) -> None:
        self._channel = channel
        self._handle = handle

    def call(self, method: str, *args: Any) -> Any:
        """Call method on the grader's object and wait for its answer."""
        return self._channel.call(self._handle, method, args)

    async def acall(self, method: str, *args: Any) -> Any:
        """The same call, awaited: the event loop runs other coroutines meanwhile."""
        return await self._channel.acall(self._handle, method, args)

    def __repr__(self) -> str:
        return f"<remote service #{self._handle}>"


class EventLog:
    """A one-way stream of records to the grader (a fake's reads, writes, evictions…)."""

    __slots__ = ("_channel", "_handle")

    def __init__(self, channel: Channel, handle: int) -> None:
        self._channel = channel
        self._handle = handle

    def write(self, *record: Any) -> None:
        """Send one record; it reaches the grader in order with every other frame."""
        self._channel.event(self._handle, record)


class LocalLog:
    """An EventLog for code running inside the grader itself (the baseline's local run)."""

    def __init__(self, sink: Callable[[tuple[Any, ...]], None]) -> None:
        self._sink = sink

    def write(self, *record: Any) -> None:
        """Hand the record straight to the grader-side log."""
        self._sink(record)


class LocalRemote:
    """A Remote for code running inside the grader: calls the service object directly."""

    def __init__(self, call: Callable[[str, tuple[Any, ...]], Any]) -> None:
        self._call = call

    def call(self, method: str, *args: Any) -> Any:
        """Call the service now."""
        return self._call(method, args)

    async def acall(self, method: str, *args: Any) -> Any:
        """Call the service now; there is nothing to wait for."""
        return self._call(method, args)


def proxy(kind: str, channel: Channel, handle: int) -> Any:
    """The object a driver function receives for a service handle of this kind."""
    if kind == "log":
        return EventLog(channel, handle)
    remote = Remote(channel, handle)
    if kind == "sqlite":
        return RemoteConnection(remote)
    return remote


_SQLITE_ERRORS = {
    cls.__name__: cls
    for cls in (
        sqlite3.Warning,
        sqlite3.Error,
        sqlite3.InterfaceError,
        sqlite3.DatabaseError,
        sqlite3.DataError,
        sqlite3.OperationalError,
        sqlite3.IntegrityError,
        sqlite3.InternalError,
        sqlite3.ProgrammingError,
        sqlite3.NotSupportedError,
    )
}


def sqlite_error(name: str, message: str) -> Exception:
    """The sqlite3 exception a real connection would have raised."""
    return _SQLITE_ERRORS.get(name, sqlite3.DatabaseError)(message)


class Row(Sequence[Any]):
    """Stands in for sqlite3.Row (which only a local cursor can build): index by position
    or by column name (case-insensitive), keys(), equality and hashing like the original."""

    __slots__ = ("_names", "_values")

    def __init__(self, cursor: RemoteCursor, values: tuple[Any, ...]) -> None:
        self._names = tuple(d[0] for d in cursor.description or ())
        self._values = values

    def keys(self) -> list[str]:
        """Column names, in order."""
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            folded = key.lower()
            for name, value in zip(self._names, self._values, strict=True):
                if name.lower() == folded:
                    return value
            raise IndexError("No item with that key")
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return self._names == other._names and self._values == other._values

    def __hash__(self) -> int:
        return hash(self._names) ^ hash(self._values)

    def __repr__(self) -> str:
        return f"<Row {dict(zip(self._names, self._values, strict=True))!r}>"


class RemoteCursor:
    """A cursor on a RemoteConnection: each execute is one statement, one round trip, with
    every result row fetched in that trip (as a database client's buffered cursor does)."""

    arraysize = 1

    def __init__(self, connection: RemoteConnection) -> None:
        self.connection = connection
        self.description: tuple[tuple[Any, ...], ...] | None = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.row_factory: Any = connection.row_factory
        self._rows: Iterator[tuple[Any, ...]] = iter(())

    def _load(self, answer: tuple[Any, ...]) -> RemoteCursor:
        description, rows, self.rowcount, self.lastrowid = answer
        self.description = (
            tuple((name, None, None, None, None, None, None) for name in description)
            if description
            else None
        )
        self._rows = iter(rows)
        return self

    def execute(self, sql: str, parameters: Any = ()) -> RemoteCursor:
        """Run one statement on the grader's database."""
        return self._load(self.connection._run("execute", sql, _params(parameters)))

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> RemoteCursor:
        """Run one statement for each parameter set, in one round trip."""
        params = [_params(p) for p in seq_of_parameters]
        return self._load(self.connection._run("executemany", sql, params))

    def executescript(self, script: str) -> RemoteCursor:
        """Run several statements separated by semicolons."""
        return self._load(self.connection._run("executescript", script))

    def _convert(self, row: tuple[Any, ...]) -> Any:
        factory = self.row_factory
        if factory is None:
            return row
        if factory is sqlite3.Row:
            return Row(self, row)
        return factory(self, row)

    def fetchone(self) -> Any:
        """The next row, or None."""
        row = next(self._rows, None)
        return None if row is None else self._convert(row)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to size more rows."""
        count = self.arraysize if size is None else size
        return [self._convert(row) for row in itertools.islice(self._rows, count)]

    def fetchall(self) -> list[Any]:
        """Every remaining row."""
        return [self._convert(row) for row in self._rows]

    def close(self) -> None:
        """Forget the remaining rows."""
        self._rows = iter(())

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return self._convert(next(self._rows))


class RemoteConnection:
    """A sqlite3-style connection to a database that runs in the grader's process, as a
    database server runs in its own: every statement is a round trip the grader counts."""

    def __init__(self, remote: Remote) -> None:
        self._remote = remote
        self.row_factory: Any = None
        self._trace: Callable[[str], object] | None = None

    def set_trace_callback(self, callback: Callable[[str], object] | None) -> None:
        """Call callback with each statement this connection sends (for your own debugging;
        the grader counts statements on its side whatever this is set to)."""
        self._trace = callback

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"this connection has no {name!r}: the lab's database runs in the grader's "
            "process, as a server would; use execute, executemany, executescript, cursor, "
            "commit and rollback"
        )

    def _run(self, method: str, *args: Any) -> Any:
        if self._trace is not None and args and isinstance(args[0], str):
            self._trace(args[0])
        try:
            return self._remote.call(method, *args)
        except RemoteError as exc:
            name, _, message = str(exc).partition(": ")
            raise sqlite_error(name, message) from None

    def cursor(self) -> RemoteCursor:
        """A new cursor on this connection."""
        return RemoteCursor(self)

    def execute(self, sql: str, parameters: Any = ()) -> RemoteCursor:
        """Run one statement (a new cursor, as sqlite3's shortcut does)."""
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> RemoteCursor:
        """Run one statement per parameter set."""
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, script: str) -> RemoteCursor:
        """Run a script of statements."""
        return self.cursor().executescript(script)

    def commit(self) -> None:
        """Commit the open transaction."""
        self._run("commit")

    def rollback(self) -> None:
        """Roll back the open transaction."""
        self._run("rollback")

    def close(self) -> None:
        """The bench owns the connection: closing it is a no-op."""

    def __enter__(self) -> RemoteConnection:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def __repr__(self) -> str:
        return "<RemoteConnection: the lab's database, in the grader's process>"


def _params(parameters: Any) -> Any:
    """Parameters as wire data: a sequence becomes a tuple, a mapping a dict."""
    if isinstance(parameters, dict):
        return dict(parameters)
    if isinstance(parameters, list | tuple):
        return tuple(parameters)
    try:
        return tuple(parameters)
    except TypeError:
        raise sqlite3.ProgrammingError(
            f"parameters must be a sequence or a mapping, not {type(parameters).__name__}"
        ) from None
