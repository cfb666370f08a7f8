"""A damaged progress database is refused untouched, diagnosed, and rebuilt by repair."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest

from perfcoach.store import NewAttempt, Store, StoreError, check_db, repair_db
from perfcoach.store.migrations import migration_names
from perfcoach.store.pages import read_pages


def _schema_tables() -> list[str]:
    """The tables a freshly migrated database holds, which repair must account for."""
    with tempfile.TemporaryDirectory() as tmp:
        Store.open(Path(tmp) / "fresh.db").close()
        conn = sqlite3.connect(Path(tmp) / "fresh.db")
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        conn.close()
    return sorted(name for (name,) in names if not name.startswith("_"))


TABLES = _schema_tables()
PAGE = 4096


def _fill(path: Path, attempts: int) -> None:
    """A database with real progress in every table."""
    with Store.open(path) as store:
        for i in range(attempts):
            store.record_attempt(
                NewAttempt(
                    lab_id=f"lab-{i % 7}",
                    verdict="pass" if i % 3 == 0 else "fail",
                    metrics={"i": i, "p99_ms": i * 0.5},
                    duration_s=1.0,
                    seed=i,
                    code_hash="0123456789abcdef",
                    hints_used=0,
                    message="a message long enough to spread rows over many pages",
                )
            )
        store.reveal_hint("lab-1", 0)
        store.mark_lesson_read("amdahl")
        store.record_solution_view("lab-2", gave_up=True)


def _garble(path: Path, start: int, pages: int, seed: int = 1) -> None:
    """Overwrite whole pages with random bytes, as a bad disk or a stray write would."""
    with path.open("r+b") as handle:
        handle.seek(start - start % PAGE)
        handle.write(random.Random(seed).randbytes(pages * PAGE))


@pytest.fixture
def text_db(tmp_path: Path) -> Path:
    path = tmp_path / "progress.db"
    path.write_text("this is my shopping list, not a database\n" * 50)
    return path


@pytest.fixture
def garbled_db(tmp_path: Path) -> Path:
    path = tmp_path / "progress.db"
    _fill(path, 2000)
    _garble(path, path.stat().st_size // 2, pages=8)
    return path


def _assert_repair_message(error: StoreError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message
    assert "run 'perfcoach doctor --repair' to back it up and rebuild it" in message
    assert error.exit_code == 1


def test_text_file_is_refused_and_left_untouched(text_db: Path) -> None:
    before = text_db.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(text_db)
    _assert_repair_message(caught.value, text_db)
    assert text_db.read_bytes() == before
    assert sorted(p.name for p in text_db.parent.iterdir()) == ["progress.db"]


def test_garbled_database_is_refused_and_left_untouched(garbled_db: Path) -> None:
    before = garbled_db.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(garbled_db)
    _assert_repair_message(caught.value, garbled_db)
    assert garbled_db.read_bytes() == before


def test_check_db_reports_health(tmp_path: Path, text_db: Path) -> None:
    missing = tmp_path / "nested" / "progress.db"
    assert check_db(missing) == []
    assert not missing.exists()

    healthy = tmp_path / "healthy.db"
    _fill(healthy, 3)
    assert check_db(healthy) == []

    assert check_db(text_db) != []


def test_check_db_reports_garbled_pages(garbled_db: Path) -> None:
    problems = check_db(garbled_db)
    assert problems
    assert all("\n" not in problem for problem in problems)


def test_repair_moves_text_file_aside_and_starts_fresh(text_db: Path) -> None:
    before = text_db.read_bytes()
    report = repair_db(text_db)

    assert re.fullmatch(r"progress\.db\.broken-\d{8}T\d{6}", report.backup.name)
    assert report.backup.parent == text_db.parent
    assert report.backup.read_bytes() == before
    assert report.recovered == {}
    assert sorted(report.lost_tables) == TABLES
    assert check_db(text_db) == []
    with Store.open(text_db) as store:
        assert store.schema_version() == migration_names()
        assert store.attempts() == []


def test_repair_keeps_readable_rows_of_a_garbled_database(garbled_db: Path) -> None:
    report = repair_db(garbled_db)

    assert 0 < report.recovered["attempts"] <= 2000
    assert report.recovered["hints"] == 1
    assert report.recovered["lessons_read"] == 1
    assert report.recovered["solution_views"] == 1
    assert report.lost_tables == []
    assert report.backup.exists()
    assert check_db(garbled_db) == []
    with Store.open(garbled_db) as store:
        assert store.integrity_problems() == []
        assert len(store.attempts()) == report.recovered["attempts"]
        assert len({a.uid for a in store.attempts()}) == report.recovered["attempts"]
        assert store.solution_unlocked("lab-2")
        assert store.lessons_read() == {"amdahl"}


def test_repair_reports_tables_it_cannot_read_at_all(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    _fill(path, 300)
    size = path.stat().st_size
    _garble(path, PAGE, pages=size // PAGE)

    report = repair_db(path)

    assert sorted(report.lost_tables) == TABLES
    assert report.recovered == {}
    with Store.open(path) as store:
        assert store.integrity_problems() == []
        assert store.totals()["attempts"] == 0


def test_repair_never_overwrites_an_earlier_backup(text_db: Path) -> None:
    first = repair_db(text_db)
    text_db.write_text("broken again")
    second = repair_db(text_db)
    assert first.backup != second.backup
    assert first.backup.exists() and second.backup.read_text() == "broken again"


def test_repair_of_a_missing_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="nothing to repair"):
        repair_db(tmp_path / "progress.db")


def test_directory_in_place_of_the_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    path.mkdir()
    with pytest.raises(StoreError, match="directory"):
        Store.open(path)
    assert check_db(path) != []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file regardless of mode")
def test_unreadable_database_is_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    _fill(path, 1)
    path.chmod(0)
    try:
        with pytest.raises(StoreError, match="permission denied"):
            Store.open(path)
        assert check_db(path) != []
    finally:
        path.chmod(0o600)


def test_repair_reads_the_pages_before_a_truncation(tmp_path: Path) -> None:
    """Half a file is gone: SQLite refuses every table, the leaves before the cut still hold
    their rows, exactly as they were, and the report counts what the file says is missing."""
    path = tmp_path / "progress.db"
    _fill(path, 3000)
    with Store.open(path) as store:
        before = {a.uid: a for a in store.attempts()}
    os.truncate(path, path.stat().st_size // 2)

    report = repair_db(path)

    recovered = report.recovered["attempts"]
    assert 1000 < recovered < 2000  # about half the leaves were before the cut
    assert report.recovered["hints"] == report.recovered["solution_views"] == 1
    assert report.lost_tables == []
    # The root page names every leaf's last rowid; only the last leaf's rows go uncounted.
    assert 3000 - 40 <= recovered + report.lost_rows["attempts"] <= 3000
    with Store.open(path) as store:
        assert store.integrity_problems() == []
        after = store.attempts()
        assert store.solution_unlocked("lab-2") and store.lessons_read() == {"amdahl"}
    assert len(after) == recovered
    assert all(attempt == before[attempt.uid] for attempt in after)


def test_pages_apply_the_committed_frames_of_the_wal(tmp_path: Path) -> None:
    """A database copied while a writer had not checkpointed: its newest rows are in -wal."""
    path = tmp_path / "live.db"
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, size REAL)")
    writer.commit()
    writer.executemany(
        "INSERT INTO notes (body, size) VALUES (?, ?)",
        [(f"note {i}" * 40, i / 3) for i in range(500)],
    )
    writer.commit()
    copy = tmp_path / "copy.db"
    for suffix in ("", "-wal"):
        Path(f"{copy}{suffix}").write_bytes(Path(f"{path}{suffix}").read_bytes())
    expected = {row[0]: row for row in writer.execute("SELECT id, body, size FROM notes")}
    writer.close()

    found = read_pages(copy)

    assert found.intact >= {"notes"}
    rows = found.rows["notes"]
    assert {rowid: (row["id"], row["body"], row["size"]) for rowid, row in rows.items()} == expected


@pytest.mark.parametrize("seed", range(12))
def test_pages_survive_bytes_flipped_anywhere(tmp_path: Path, seed: int) -> None:
    """Garbage in any header, pointer, varint or record: rows are skipped, nothing raises
    (damaged text once raised UnicodeDecodeError out of repair)."""
    path = tmp_path / "progress.db"
    _fill(path, 300)
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(200):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))

    found = read_pages(path)
    report = repair_db(path)

    assert len(found.rows.get("attempts", {})) <= 300
    assert report.recovered.get("attempts", 0) <= 300
    with Store.open(path) as store:
        assert store.integrity_problems() == []
