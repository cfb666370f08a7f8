"""The lab database service: counts what it runs, and runs nothing that leaves the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from perfcoach.runner.grader import Later, Refusal
from perfcoach.runner.sqlservice import SqliteService


@pytest.fixture
def service() -> SqliteService:
    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);")
    return SqliteService(conn)


def test_statements_and_vm_steps_are_counted_per_mark(service: SqliteService) -> None:
    mark = service.mark()
    names, rows, _, _ = service.execute("SELECT x FROM t WHERE x >= ?", (2,))
    assert names == ["x"] and rows == [(2,), (3,)]
    statements, steps = service.since(mark)
    assert statements == ["SELECT x FROM t WHERE x >= 2"]
    assert steps >= 0


def test_a_round_trip_is_a_later_answer() -> None:
    delayed = SqliteService(sqlite3.connect(":memory:"), round_trip_s=0.001)
    answer = delayed.execute("SELECT 1")
    assert isinstance(answer, Later) and answer.delay_s == 0.001
    assert answer.value[1] == [(1,)]


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH DATABASE '{path}' AS other",
        "VACUUM INTO '{path}'",
        "SELECT zeroblob(100000000)",
        "SELECT * FROM no_such_table",
    ],
)
def test_sql_that_reaches_outside_is_refused_as_a_sqlite_error(
    service: SqliteService, tmp_path: Path, sql: str
) -> None:
    target = tmp_path / "made.db"
    with pytest.raises(Refusal, match=r"^\w+Error: "):
        service.execute(sql.format(path=target))
    assert not target.exists()


def test_sql_must_be_text(service: SqliteService) -> None:
    with pytest.raises(Refusal, match="SQL must be a str"):
        service.execute(b"SELECT 1")
