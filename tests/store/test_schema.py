"""The progress schema and the export format cannot drift apart: a column a migration adds
must be exported (or the test names it), so a round trip never drops data silently."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from perfcoach.store import Store
from perfcoach.store.progress_io import TABLES

# Tables that stay on this machine, and why.
NOT_EXPORTED = {
    "_sqlite_migrations": "bookkeeping: the importing database has its own",
    "quiz_shuffle": "the install's salt: another install shuffles its own way",
    "current_lab": "where this machine's learner is now, not progress",
}


def _schema(tmp_path: Path) -> dict[str, list[tuple[str, str, bool, bool]]]:
    """Each table's columns: (name, declared type, not null, integer primary key)."""
    Store.open(tmp_path / "p.db").close()
    conn = sqlite3.connect(tmp_path / "p.db")
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    schema = {}
    for table in tables:
        rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        keys = [r for r in rows if r[5]]
        schema[table] = [
            (
                r[1],
                r[2].upper(),
                bool(r[3]),
                len(keys) == 1 and r[5] == 1 and r[2].upper() == "INTEGER",
            )
            for r in rows
        ]
    conn.close()
    return schema


def test_every_table_is_exported_or_named_here(tmp_path: Path) -> None:
    tables = set(_schema(tmp_path))
    assert tables == set(TABLES) | set(NOT_EXPORTED)
    assert not set(TABLES) & set(NOT_EXPORTED)


def test_every_column_is_exported_with_its_type_and_nullability(tmp_path: Path) -> None:
    python = {"TEXT": (str,), "INTEGER": (int,), "FLOAT": (int, float), "REAL": (int, float)}
    for table, columns in _schema(tmp_path).items():
        if table in NOT_EXPORTED:
            continue
        spec = TABLES[table]
        # a local rowid alias is left out: the importing database numbers its own rows
        exported = [c for c in columns if not c[3]]
        assert [c[0] for c in exported] == list(spec.columns), table
        for name, declared, not_null, _ in exported:
            kinds = spec.columns[name]
            if name in ("metrics", "figures"):  # JSON text, exported as objects
                assert declared == "TEXT" and kinds == (dict,), (table, name)
            else:
                assert kinds == python[declared], (table, name, declared, kinds)
            assert (name in spec.nullable) == (not not_null and name not in spec.key), (
                table,
                name,
            )


def test_an_attempt_without_a_version_survives_a_round_trip(tmp_path: Path) -> None:
    """The column allows NULL; the export format refused it, so such a database exported a
    file that its own import rejected."""
    import json

    from perfcoach.store import NewAttempt, export_progress, import_progress, read_progress_file

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
