"""Rows read straight from the b-tree pages of a damaged SQLite file, as the sqlite3 shell's
`.recover` does: when SQLite stops at a broken or missing page, the pages around it usually
still hold intact rows, and a truncated file keeps every page before the cut.

Only rowid tables are read (the progress schema has no others), from the pages their trees
still reach; pages no tree reaches are left alone, since a freed page can hold rows that
were deleted on purpose. Committed frames of a -wal file beside the database are applied
first, as SQLite would.
"""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_MAGIC = b"SQLite format 3\x00"
_HEADER = 100  # the file header at the start of page 1
_TABLE_INTERIOR, _TABLE_LEAF = 0x05, 0x0D
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_MAX_PAGES_WALKED = 10_000_000  # a loop of garbage child pointers must end


class _Damaged(Exception):
    """A page, cell or record that does not parse: skipped, the rest is still read."""


@dataclass
class PageSalvage:
    """What the pages of each table still hold, by rowid, and the highest rowid they name."""

    rows: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    highest: dict[str, int] = field(default_factory=dict)
    intact: set[str] = field(default_factory=set)  # every page of the tree parsed


@dataclass(frozen=True)
class _Table:
    name: str
    root: int
    columns: tuple[str, ...]
    rowid_alias: int | None  # the INTEGER PRIMARY KEY column, stored as NULL in the record


def read_pages(path: Path) -> PageSalvage:
    """Every row the tables' intact pages hold; empty when the file is not SQLite at all."""
    try:
        data = path.read_bytes()
    except OSError:
        return PageSalvage()
    if len(data) < _HEADER or not data.startswith(_MAGIC):
        return PageSalvage()
    reader = _Reader(data, _wal_pages(Path(f"{path}-wal"), data))
    salvage = PageSalvage()
    tables = reader.tables()
    for table in tables.values():
        rows, highest, intact = reader.rows(table)
        salvage.rows[table.name] = rows
        salvage.highest[table.name] = highest
        if intact:
            salvage.intact.add(table.name)
    sequence = tables.get("sqlite_sequence")
    if sequence is not None:
        for row in salvage.rows.pop("sqlite_sequence", {}).values():
            name, seq = row.get("name"), row.get("seq")
            if isinstance(name, str) and isinstance(seq, int) and name in salvage.highest:
                salvage.highest[name] = max(salvage.highest[name], seq)
        salvage.highest.pop("sqlite_sequence", None)
    return salvage


def _page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def _wal_pages(wal: Path, data: bytes) -> dict[int, bytes]:
    """The newest committed copy of each page in the -wal file (salts must match its header;
    frames after the last commit are a transaction that never finished)."""
    try:
        log = wal.read_bytes()
    except OSError:
        return {}
    if len(log) < 32 or int.from_bytes(log[:4], "big") not in _WAL_MAGIC:
        return {}
    size = int.from_bytes(log[8:12], "big")
    if size != _page_size(data):
        return {}
    salts = log[16:24]
    pages: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + size <= len(log):
        number, commit = struct.unpack(">II", log[offset : offset + 8])
        if log[offset + 8 : offset + 16] != salts:
            break
        pending[number] = log[offset + 24 : offset + 24 + size]
        if commit:
            pages.update(pending)
            pending.clear()
        offset += 24 + size
    return pages


class _Reader:
    """Pages of one file (with the -wal's committed pages over them), parsed on demand."""

    def __init__(self, data: bytes, overlay: dict[int, bytes]) -> None:
        self.data = data
        self.overlay = overlay
        self.page_size = _page_size(data)
        self.usable = self.page_size - data[20]
        self.encoding = {2: "utf-16-le", 3: "utf-16-be"}.get(
            int.from_bytes(data[56:60], "big"), "utf-8"
        )

    def page(self, number: int) -> bytes:
        if number in self.overlay:
            return self.overlay[number]
        start = (number - 1) * self.page_size
        if number < 1 or start + self.page_size > len(self.data):
            raise _Damaged(f"page {number} is past the end of the file")
        return self.data[start : start + self.page_size]

    def tables(self) -> dict[str, _Table]:
        """The rowid tables sqlite_master (page 1's tree) still names, with their columns."""
        master = _Table("sqlite_master", 1, ("type", "name", "tbl_name", "rootpage", "sql"), None)
        rows, _, _ = self.rows(master)
        found: dict[str, _Table] = {}
        for row in rows.values():
            if row.get("type") != "table" or not isinstance(row.get("rootpage"), int):
                continue
            table = _columns(str(row.get("name")), row["rootpage"], row.get("sql"))
            if table is not None:
                found[table.name] = table
        return found

    def rows(self, table: _Table) -> tuple[dict[int, dict[str, Any]], int, bool]:
        """Rows of every leaf the table's tree still reaches, the highest rowid seen
        (interior pages name the largest rowid of each child, lost children included), and
        whether every page and row of the tree parsed."""
        rows: dict[int, dict[str, Any]] = {}
        highest = 0
        intact = True
        seen: set[int] = set()
        stack = [table.root]
        while stack and len(seen) < _MAX_PAGES_WALKED:
            number = stack.pop()
            if number in seen:
                continue
            seen.add(number)
            try:
                page = self.page(number)
                kind, cells, right = self._cells(page, number)
                if kind == _TABLE_INTERIOR:
                    for cell in cells:
                        stack.append(int.from_bytes(page[cell : cell + 4], "big"))
                        key, _ = _varint(page, cell + 4)
                        highest = max(highest, key)
                    stack.append(right)
                    continue
            except (_Damaged, IndexError, ValueError):
                intact = False
                continue
            for cell in cells:
                try:
                    rowid, values = self._leaf_cell(page, cell)
                except (_Damaged, IndexError, ValueError, UnicodeDecodeError):
                    intact = False
                    continue
                highest = max(highest, rowid)
                if len(values) > len(table.columns):
                    intact = False  # another table's row, on a page this tree should not reach
                    continue
                row = dict(zip(table.columns, values, strict=False))
                if table.rowid_alias is not None:
                    row[table.columns[table.rowid_alias]] = rowid
                rows[rowid] = row
        return rows, highest, intact and not stack

    def _cells(self, page: bytes, number: int) -> tuple[int, list[int], int]:
        """A table b-tree page's kind, cell offsets, and right-most child (interior pages)."""
        at = _HEADER if number == 1 else 0
        kind = page[at]
        if kind not in (_TABLE_INTERIOR, _TABLE_LEAF):
            raise _Damaged(f"page {number} is not a table b-tree page")
        count = int.from_bytes(page[at + 3 : at + 5], "big")
        pointers = at + (12 if kind == _TABLE_INTERIOR else 8)
        right = int.from_bytes(page[at + 8 : at + 12], "big") if kind == _TABLE_INTERIOR else 0
        cells = [
            int.from_bytes(page[pointers + 2 * i : pointers + 2 * i + 2], "big")
            for i in range(count)
        ]
        if any(not pointers <= cell < len(page) for cell in cells):
            raise _Damaged(f"page {number} points outside itself")
        return kind, cells, right

    def _leaf_cell(self, page: bytes, at: int) -> tuple[int, list[Any]]:
        """One row of a table leaf: its rowid and the values of its record."""
        size, at = _varint(page, at)
        rowid, at = _varint(page, at)
        local = self._local_size(size)
        payload = page[at : at + local]
        if local < size:
            payload += self._overflow(int.from_bytes(page[at + local : at + local + 4], "big"))
        if len(payload) < size:
            raise _Damaged("the row's overflow pages are gone")
        return rowid, self._record(payload[:size])

    def _local_size(self, size: int) -> int:
        """How much of a payload sits on the leaf itself (the file format's formula)."""
        most = self.usable - 35
        if size <= most:
            return size
        least = (self.usable - 12) * 32 // 255 - 23
        local = least + (size - least) % (self.usable - 4)
        return local if local <= most else least

    def _overflow(self, number: int) -> bytes:
        chunks = []
        seen: set[int] = set()
        while number and number not in seen:
            seen.add(number)
            page = self.page(number)
            chunks.append(page[4 : self.usable])
            number = int.from_bytes(page[:4], "big")
        return b"".join(chunks)

    def _record(self, payload: bytes) -> list[Any]:
        """A record's values: a header of serial types, then the values they describe."""
        header_size, at = _varint(payload, 0)
        types = []
        while at < header_size:
            serial, at = _varint(payload, at)
            types.append(serial)
        if at != header_size:
            raise _Damaged("a record header that overruns itself")
        values: list[Any] = []
        for serial in types:
            value, at = self._value(payload, at, serial)
            values.append(value)
        if at != len(payload):
            raise _Damaged("a record whose values do not fill it")
        return values

    def _value(self, payload: bytes, at: int, serial: int) -> tuple[Any, int]:
        if serial == 0:
            return None, at
        if serial in (8, 9):  # the integers 0 and 1, stored in the header alone
            return serial - 8, at
        if 1 <= serial <= 6:
            width = (0, 1, 2, 3, 4, 6, 8)[serial]
            chunk = payload[at : at + width]
            if len(chunk) < width:
                raise _Damaged("a value cut short")
            return int.from_bytes(chunk, "big", signed=True), at + width
        if serial == 7:
            chunk = payload[at : at + 8]
            if len(chunk) < 8:
                raise _Damaged("a value cut short")
            return struct.unpack(">d", chunk)[0], at + 8
        if serial >= 12:
            width = (serial - 12) // 2
            chunk = payload[at : at + width]
            if len(chunk) < width:
                raise _Damaged("a value cut short")
            return (chunk.decode(self.encoding) if serial % 2 else bytes(chunk)), at + width
        raise _Damaged(f"serial type {serial} is reserved")


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's big-endian varint: 7 bits a byte, the ninth byte all 8."""
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise _Damaged("a varint longer than nine bytes")


def _columns(name: str, root: int, sql: Any) -> _Table | None:
    """A table's column names in record order, from its CREATE statement, compiled by SQLite
    itself in memory (WITHOUT ROWID tables are not read)."""
    if name == "sqlite_sequence":  # SQLite's own: it cannot be created by a statement
        return _Table(name, root, ("name", "seq"), None)
    if (
        not isinstance(sql, str)
        or not sql.lstrip().upper().startswith("CREATE TABLE")
        or "without rowid" in sql.lower()
    ):
        return None
    try:
        conn = sqlite3.connect(":memory:")
    except sqlite3.Error:
        return None
    try:
        conn.execute(sql)
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    columns = tuple(str(row[1]) for row in info)
    keys = [row for row in info if row[5]]
    alias = None
    if len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER":
        alias = columns.index(str(keys[0][1]))
    return _Table(name, root, columns, alias)
