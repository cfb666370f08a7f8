"""The progress database's shape, declared once: the export spec and the column lists of the
queries are derived from it, and a test holds the migrated database to it, so a column cannot
be added in one place and silently dropped in another. A new column needs a migration (the
existing ones never change) and a line here; tests/store/test_schema.py fails until both agree.

Plain sqlite3 and dataclasses only: this is imported at every start of the CLI and the TUI.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cached_property

# sqlite_utils' record of applied migrations: bookkeeping, not part of the declared schema.
MIGRATIONS_TABLE = "_sqlite_migrations"
# Older sqlite_utils declared Python floats as FLOAT, newer ones as REAL: the same affinity.
_SAME_TYPE = {"FLOAT": "REAL"}


@dataclass(frozen=True)
class Column:
    """One column: how SQLite stores it and what a progress import may carry in it."""

    name: str
    sql_type: str
    accepts: tuple[type, ...]
    not_null: bool = False
    exported: bool = True  # written by a progress export, when its table is exported
    json_object: bool = False  # stored as JSON text, exported as an object
    row_number: bool = False  # the INTEGER PRIMARY KEY SQLite assigns on insert


def text(name: str, *, not_null: bool = False) -> Column:
    """A TEXT column; import accepts a string."""
    return Column(name, "TEXT", (str,), not_null)


def integer(name: str, *, not_null: bool = False) -> Column:
    """An INTEGER column; import accepts a whole number (never a bool)."""
    return Column(name, "INTEGER", (int,), not_null)


def real(name: str, *, not_null: bool = False) -> Column:
    """A REAL column; import accepts any number, since JSON writes 2.0 as 2."""
    return Column(name, "REAL", (int, float), not_null)


def json_object(name: str) -> Column:
    """A NOT NULL TEXT column holding a JSON object, exported as the object itself."""
    return Column(name, "TEXT", (dict,), not_null=True, json_object=True)


def row_number(name: str) -> Column:
    """The INTEGER PRIMARY KEY SQLite numbers itself; each database numbers its own rows,
    so it is never exported."""
    return Column(name, "INTEGER", (int,), exported=False, row_number=True)


@dataclass(frozen=True)
class Table:
    """One table: its columns in order, its primary key and, when exported, the natural key
    an import merges on (the primary key may be a local row number)."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    key: tuple[str, ...] = ()
    exported: bool = True

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Every column name in table order: what `SELECT` lists to fill a dataclass."""
        return tuple(column.name for column in self.columns)

    @cached_property
    def inserted(self) -> tuple[str, ...]:
        """The columns an INSERT supplies: all but the row number SQLite assigns."""
        return tuple(column.name for column in self.columns if not column.row_number)

    @cached_property
    def exported_columns(self) -> tuple[Column, ...]:
        """The columns a progress export writes, in table order."""
        return tuple(column for column in self.columns if column.exported)


ATTEMPTS = Table(
    "attempts",
    (
        row_number("id"),
        text("uid", not_null=True),
        text("lab_id", not_null=True),
        text("started", not_null=True),
        real("duration_s"),
        text("verdict", not_null=True),
        json_object("metrics"),
        text("message"),
        text("code_hash"),
        integer("seed"),
        integer("hints_used"),
        text("perfcoach_version"),
    ),
    primary_key=("id",),
    key=("uid",),
)
HINTS = Table(
    "hints",
    (
        text("lab_id", not_null=True),
        integer("hint_index", not_null=True),
        text("revealed_at", not_null=True),
    ),
    primary_key=("lab_id", "hint_index"),
    key=("lab_id", "hint_index"),
)
LESSONS_READ = Table(
    "lessons_read",
    (text("lesson_id", not_null=True), text("read_at", not_null=True)),
    primary_key=("lesson_id",),
    key=("lesson_id",),
)
SOLUTION_VIEWS = Table(
    "solution_views",
    (
        row_number("id"),
        text("lab_id", not_null=True),
        text("viewed_at", not_null=True),
        integer("gave_up", not_null=True),
    ),
    primary_key=("id",),
    key=("lab_id", "viewed_at", "gave_up"),
)
QUIZ_ANSWERS = Table(
    "quiz_answers",
    (
        row_number("id"),
        text("lesson_id", not_null=True),
        integer("question_index", not_null=True),
        integer("choice", not_null=True),
        integer("correct", not_null=True),
        text("answered_at", not_null=True),
    ),
    primary_key=("id",),
    key=("lesson_id", "question_index", "choice", "answered_at"),
)
EFFORTS = Table(
    "efforts",
    (
        text("id", not_null=True),
        text("goal", not_null=True),
        text("goal_metric"),
        text("goal_op"),
        real("goal_value"),
        text("created", not_null=True),
    ),
    primary_key=("id",),
    key=("id",),
)
CHECKLIST_TICKS = Table(
    "checklist_ticks",
    (
        text("effort_id", not_null=True),
        text("checklist_id", not_null=True),
        text("item_id", not_null=True),
        integer("ticked", not_null=True),
        text("note", not_null=True),
        text("updated", not_null=True),
    ),
    primary_key=("effort_id", "checklist_id", "item_id"),
    key=("effort_id", "checklist_id", "item_id"),
)
MEASUREMENTS = Table(
    "measurements",
    (
        row_number("id"),
        text("uid", not_null=True),
        text("effort_id", not_null=True),
        text("kind", not_null=True),
        text("command", not_null=True),
        text("vs_command"),
        integer("runs", not_null=True),
        json_object("figures"),
        text("taken", not_null=True),
    ),
    primary_key=("id",),
    key=("uid",),
)
EVIDENCE = Table(
    "evidence",
    (
        text("effort_id", not_null=True),
        text("checklist_id", not_null=True),
        text("item_id", not_null=True),
        text("measurement_uid", not_null=True),
    ),
    primary_key=("effort_id", "checklist_id", "item_id", "measurement_uid"),
    key=("effort_id", "checklist_id", "item_id", "measurement_uid"),
)
# The install's salt: another install shuffles quiz choices its own way.
QUIZ_SHUFFLE = Table(
    "quiz_shuffle",
    (integer("id", not_null=True), text("salt", not_null=True)),
    primary_key=("id",),
    exported=False,
)
# Where this machine's learner is now, not progress.
CURRENT_LAB = Table(
    "current_lab",
    (
        integer("slot", not_null=True),
        text("lab_id", not_null=True),
        text("since", not_null=True),
    ),
    primary_key=("slot",),
    exported=False,
)

# Every table, exported ones in export order: parents before children (measurements need
# their effort, evidence its measurement), which is also the order of the export's JSON.
TABLES: tuple[Table, ...] = (
    ATTEMPTS,
    HINTS,
    LESSONS_READ,
    SOLUTION_VIEWS,
    QUIZ_ANSWERS,
    EFFORTS,
    CHECKLIST_TICKS,
    MEASUREMENTS,
    EVIDENCE,
    QUIZ_SHUFFLE,
    CURRENT_LAB,
)


def insert_sql(table: Table, verb: str = "INSERT") -> str:
    """`INSERT INTO t (columns) VALUES (?, …)` for the columns an INSERT supplies, in table
    order, so a declared column the caller does not pass fails loudly instead of staying NULL."""
    marks = ", ".join("?" for _ in table.inserted)
    return f"{verb} INTO {table.name} ({', '.join(table.inserted)}) VALUES ({marks})"


def differences(conn: sqlite3.Connection) -> list[str]:
    """How the database's tables and columns differ from this declaration, one line each;
    [] when they match (name, order, type, NOT NULL and primary key position)."""
    found = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name != MIGRATIONS_TABLE and not name.startswith("sqlite_")
    ]
    declared = {table.name for table in TABLES}
    problems = [
        f"table {name} is in the database but not declared"
        for name in found
        if name not in declared
    ]
    for table in TABLES:
        if table.name not in found:
            problems.append(f"table {table.name} is declared but not in the database")
        else:
            problems += _column_differences(conn, table)
    return problems


def _column_differences(conn: sqlite3.Connection, table: Table) -> list[str]:
    """Compare PRAGMA table_info with the declared columns, column by column."""
    info = conn.execute(f'PRAGMA table_info("{table.name}")').fetchall()
    actual = {
        name: (_SAME_TYPE.get(sql_type.upper(), sql_type.upper()), bool(not_null), pk)
        for _, name, sql_type, not_null, _, pk in info
    }
    problems = [
        f"{table.name}.{name} is in the database but not declared"
        for name in actual
        if name not in table.names
    ]
    for column in table.columns:
        where = f"{table.name}.{column.name}"
        if column.name not in actual:
            problems.append(f"{where} is declared but not in the database")
            continue
        pk = table.primary_key.index(column.name) + 1 if column.name in table.primary_key else 0
        expected = (column.sql_type, column.not_null, pk)
        if actual[column.name] != expected:
            problems.append(f"{where} is {actual[column.name]} but declared {expected}")
    if not problems and tuple(actual) != table.names:
        problems.append(f"{table.name} has its columns in the order {list(actual)}")
    return problems
