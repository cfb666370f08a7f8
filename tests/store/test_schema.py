"""The progress schema is declared once (perfcoach.store.schema) and cannot drift: the
migrated database must equal the declaration column by column, the export spec and the
dataclasses must follow it, so a round trip never drops a column silently."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfcoach.store import (
    Attempt,
    Effort,
    Efforts,
    Evidence,
    Measurement,
    NewAttempt,
    NewEffort,
    NewMeasurement,
    Store,
    Tick,
    export_progress,
    import_progress,
    read_progress_file,
    schema,
)
from perfcoach.store.import_rules import RULES
from perfcoach.store.migrations import MIGRATIONS
from perfcoach.store.progress_io import TABLES

# Tables that stay on this machine, and why.
NOT_EXPORTED = {
    "quiz_shuffle": "the install's salt: another install shuffles its own way",
    "current_lab": "where this machine's learner is now, not progress",
}
# Exported columns import_rules.RULES does not check, and why: a new column must get a rule
# or a line here.
WITHOUT_A_RULE = {
    "verdict": "progress_io checks it against VERDICTS",
}


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh database built by the migrations alone."""
    Store.open(tmp_path / "p.db").close()
    conn = sqlite3.connect(tmp_path / "p.db")
    yield conn
    conn.close()


def _schema(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, bool, bool]]]:
    """Each table's columns: (name, declared type, not null, integer primary key)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for table in tables:
        rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        keys = [r for r in rows if r[5]]
        found[table] = [
            (
                r[1],
                r[2].upper(),
                bool(r[3]),
                len(keys) == 1 and r[5] == 1 and r[2].upper() == "INTEGER",
            )
            for r in rows
        ]
    return found


def _declare(monkeypatch: pytest.MonkeyPatch, table: schema.Table) -> None:
    """Pretend the declaration holds `table` in place of the one of that name."""
    tables = tuple(table if t.name == table.name else t for t in schema.TABLES)
    monkeypatch.setattr(schema, "TABLES", tables)


def test_the_migrated_database_is_the_declared_schema(migrated: sqlite3.Connection) -> None:
    assert schema.differences(migrated) == []


def test_a_column_a_migration_adds_without_declaring_it_is_reported(
    migrated: sqlite3.Connection,
) -> None:
    migrated.execute("ALTER TABLE attempts ADD COLUMN tags TEXT")
    assert schema.differences(migrated) == ["attempts.tags is in the database but not declared"]


def test_a_declared_column_no_migration_creates_is_reported(
    migrated: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = (*schema.EFFORTS.columns, schema.text("owner"))
    _declare(monkeypatch, dataclasses.replace(schema.EFFORTS, columns=columns))
    assert schema.differences(migrated) == ["efforts.owner is declared but not in the database"]


def test_a_column_declared_with_another_type_nullability_or_key_is_reported(
    migrated: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    goal, created = schema.EFFORTS.columns[1], schema.EFFORTS.columns[5]
    columns = tuple(
        dataclasses.replace(c, sql_type="INTEGER")
        if c is goal
        else dataclasses.replace(c, not_null=False)
        if c is created
        else c
        for c in schema.EFFORTS.columns
    )
    _declare(
        monkeypatch,
        dataclasses.replace(schema.EFFORTS, columns=columns, primary_key=("id", "goal")),
    )
    assert schema.differences(migrated) == [
        "efforts.goal is ('TEXT', True, 0) but declared ('INTEGER', True, 2)",
        "efforts.created is ('TEXT', True, 0) but declared ('TEXT', False, 0)",
    ]


def test_columns_in_another_order_are_reported(
    migrated: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = tuple(reversed(schema.LESSONS_READ.columns))
    _declare(monkeypatch, dataclasses.replace(schema.LESSONS_READ, columns=columns))
    assert schema.differences(migrated) == [
        "lessons_read has its columns in the order ['lesson_id', 'read_at']"
    ]


def test_undeclared_and_missing_tables_are_reported(migrated: sqlite3.Connection) -> None:
    migrated.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    migrated.execute("DROP TABLE current_lab")
    assert schema.differences(migrated) == [
        "table notes is in the database but not declared",
        "table current_lab is declared but not in the database",
    ]


def test_float_columns_of_older_sqlite_utils_match_real(tmp_path: Path) -> None:
    """sqlite_utils once declared Python floats FLOAT: databases made then must still match."""
    conn = sqlite3.connect(tmp_path / "old.db")
    for table in schema.TABLES:
        columns = ", ".join(
            f"{c.name} {'FLOAT' if c.sql_type == 'REAL' else c.sql_type}"
            f"{' NOT NULL' if c.not_null else ''}"
            for c in table.columns
        )
        key = ", ".join(table.primary_key)
        conn.execute(f"CREATE TABLE {table.name} ({columns}, PRIMARY KEY ({key}))")
    assert schema.differences(conn) == []
    conn.close()


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda table: table.name)
def test_each_declared_table_is_consistent(table: schema.Table) -> None:
    """Keys name declared columns, an exported table has a natural key of exported columns,
    and only a row number (an INTEGER PRIMARY KEY) stays out of the export: any other column
    left out would be dropped by a round trip."""
    assert len(set(table.names)) == len(table.names)
    assert set(table.primary_key) <= set(table.names)
    exported = {column.name for column in table.exported_columns}
    assert bool(table.key) == table.exported
    assert set(table.key) <= exported
    for column in table.columns:
        if column.row_number:
            assert table.primary_key == (column.name,) and column.sql_type == "INTEGER"
        assert column.exported != column.row_number
        assert not column.json_object or column.sql_type == "TEXT"


def test_the_bookkeeping_table_is_the_one_the_migrations_keep() -> None:
    assert MIGRATIONS.migrations_table == schema.MIGRATIONS_TABLE


def test_every_table_is_exported_or_named_here(migrated: sqlite3.Connection) -> None:
    tables = set(_schema(migrated)) - {schema.MIGRATIONS_TABLE}
    assert tables == set(TABLES) | set(NOT_EXPORTED)
    assert not set(TABLES) & set(NOT_EXPORTED)


def test_every_column_is_exported_with_its_type_and_nullability(
    migrated: sqlite3.Connection,
) -> None:
    python = {"TEXT": (str,), "INTEGER": (int,), "FLOAT": (int, float), "REAL": (int, float)}
    for table, columns in _schema(migrated).items():
        if table in NOT_EXPORTED or table == schema.MIGRATIONS_TABLE:
            continue
        spec = TABLES[table]
        # a local rowid alias is left out: the importing database numbers its own rows
        exported = [c for c in columns if not c[3]]
        assert [c[0] for c in exported] == list(spec.columns), table
        for name, declared, not_null, _ in exported:
            kinds = spec.columns[name]
            if name in spec.json_columns:  # JSON text, exported as objects
                assert declared == "TEXT" and kinds == (dict,), (table, name)
            else:
                assert kinds == python[declared], (table, name, declared, kinds)
            assert (name in spec.nullable) == (not not_null and name not in spec.key), (
                table,
                name,
            )


def test_the_json_columns_are_the_ones_exported_as_objects() -> None:
    assert {(t, c) for t, spec in TABLES.items() for c in spec.json_columns} == {
        ("attempts", "metrics"),
        ("measurements", "figures"),
    }


def test_every_exported_column_has_an_import_rule() -> None:
    columns = {column for spec in TABLES.values() for column in spec.columns}
    assert columns - set(RULES) == set(WITHOUT_A_RULE)


@pytest.mark.parametrize(
    ("cls", "table"),
    [
        (Attempt, schema.ATTEMPTS),
        (Effort, schema.EFFORTS),
        (Tick, schema.CHECKLIST_TICKS),
        (Measurement, schema.MEASUREMENTS),
        (Evidence, schema.EVIDENCE),
    ],
)
def test_each_stored_dataclass_has_its_tables_columns(cls: type, table: schema.Table) -> None:
    assert tuple(field.name for field in dataclasses.fields(cls)) == table.names


_SUMMARY = {"median": 1.0, "low": 0.9, "high": 1.1, "min": 0.8, "max": 1.3, "spread": 0.1}
_FIGURES = {
    "measured": {
        "command": "python bench.py",
        "runs": 2,
        "wall_s": _SUMMARY,
        "cpu_s": _SUMMARY,
        "peak_rss_kib": _SUMMARY,
        "samples": [{"wall_s": 1.0, "cpu_s": 0.9, "peak_rss_kib": 9000}],
    },
    "speedup": None,
    "goal": None,
}


def _fill_every_exported_column(store: Store) -> None:
    """A row in every exported table, with no exported column left NULL anywhere."""
    store.record_attempt(NewAttempt("lab-a", "fail", {"calls": {"value": 2}}, 1.5, 3, "h", 1, "m"))
    store.reveal_hint("lab-a", 0)
    store.mark_lesson_read("lesson-a")
    store.record_solution_view("lab-a", gave_up=True)
    store.record_quiz_answer("lesson-a", 0, 2, correct=True)
    efforts = Efforts(store)
    efforts.create(NewEffort("checkout", "p95 < 200ms", "p95", "<", 0.2))
    efforts.set_tick("checkout", "pre", "profile", ticked=True, note="flame graph")
    measured = NewMeasurement("checkout", "ab", "python new.py", 2, _FIGURES, "python old.py")
    efforts.record_measurement(measured, [("pre", "measure")], "measured")


def _stored_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every column the database itself has, but row numbers, of every table but the local
    ones, in key order: read from SQLite, not from the declaration or the export spec."""
    conn = sqlite3.connect(path)
    rows = {}
    for name, columns in _schema(conn).items():
        if name in NOT_EXPORTED or name == schema.MIGRATIONS_TABLE:
            continue
        kept = ", ".join(column[0] for column in columns if not column[3])
        rows[name] = conn.execute(f"SELECT {kept} FROM {name} ORDER BY {kept}").fetchall()
    conn.close()
    return rows


def test_a_round_trip_keeps_every_exported_column(tmp_path: Path) -> None:
    """Export then import into a fresh database gives back every row, column by column; the
    seed must fill every exported column, so a new column needs a value here too."""
    with Store.open(tmp_path / "a.db") as store:
        _fill_every_exported_column(store)
        text = json.dumps(export_progress(store))
    source = _stored_rows(tmp_path / "a.db")
    for name, rows in source.items():
        assert rows, name
        assert all(value is not None for row in rows for value in row), name
    with Store.open(tmp_path / "b.db") as target:
        import_progress(target, read_progress_file(text, "a.json"))
    assert _stored_rows(tmp_path / "b.db") == source


def test_an_attempt_without_a_version_survives_a_round_trip(tmp_path: Path) -> None:
    """The column allows NULL; the export format refused it, so such a database exported a
    file that its own import rejected."""
    with Store.open(tmp_path / "a.db") as store:
        store.record_attempt(NewAttempt("lab-a", "pass", {"calls": {"value": 1}}, 1.0, 1, "x", 0))
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("UPDATE attempts SET perfcoach_version = NULL")
    conn.commit()
    conn.close()
    with Store.open(tmp_path / "a.db") as store:
        text = json.dumps(export_progress(store))
    with Store.open(tmp_path / "b.db") as target:
        report = import_progress(target, read_progress_file(text, "a.json"))
        assert report.added["attempts"] == 1


def test_an_insert_supplies_every_column_but_the_row_number() -> None:
    assert schema.insert_sql(schema.SOLUTION_VIEWS, "INSERT OR IGNORE") == (
        "INSERT OR IGNORE INTO solution_views (lab_id, viewed_at, gave_up) VALUES (?, ?, ?)"
    )
    assert schema.QUIZ_SHUFFLE.inserted == ("id", "salt")


def test_goal_metrics_and_evidence_uids_are_checked_on_import() -> None:
    assert RULES["goal_metric"]("p95") == RULES["goal_metric"]("wall") == ""
    assert RULES["goal_metric"]("x" * 10_000) and RULES["goal_metric"]("[b]wall")
    assert RULES["measurement_uid"](uuid.uuid4().hex) == ""
    assert RULES["measurement_uid"]("../measurements") and RULES["measurement_uid"]("x" * 100)
