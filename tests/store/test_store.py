"""Behaviour of the progress store as the rest of perfcoach sees it."""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import perfcoach
from perfcoach.store import (
    VERDICTS,
    NewAttempt,
    Store,
    StoreError,
    check_db,
)
from perfcoach.store.migrations import MIGRATIONS, migration_names


def _attempt(lab_id: str = "lab-cache", verdict: str = "fail", **extra: object) -> NewAttempt:
    """A plausible attempt, so each test only spells out what it checks."""
    fields: dict[str, object] = {
        "lab_id": lab_id,
        "verdict": verdict,
        "metrics": {"p99_ms": 12.5, "throughput": [1, 2, 3]},
        "duration_s": 1.5,
        "seed": 42,
        "code_hash": "abc123",
        "hints_used": 0,
    }
    fields.update(extra)
    return NewAttempt(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "progress.db") as opened:
        yield opened


def test_open_defaults_to_perfcoach_home(tmp_path: Path) -> None:
    with Store.open() as store:
        assert store.path == tmp_path / "progress.db"
    assert (tmp_path / "progress.db").is_file()


def test_open_creates_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "progress.db"
    with Store.open(path):
        pass
    assert path.is_file()


def test_database_is_left_in_wal_mode(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def test_attempt_round_trip(store: Store) -> None:
    started = datetime(2024, 5, 1, 12, 30, 15, 999, tzinfo=UTC)
    recorded = store.record_attempt(
        _attempt(verdict="pass", message="2.1x faster", started=started, hints_used=2)
    )
    (stored,) = store.attempts()
    assert stored == recorded
    assert stored.lab_id == "lab-cache"
    assert stored.verdict == "pass"
    assert stored.metrics == {"p99_ms": 12.5, "throughput": [1, 2, 3]}
    assert stored.message == "2.1x faster"
    assert stored.started == started.replace(microsecond=0)
    assert stored.duration_s == 1.5
    assert (stored.seed, stored.code_hash, stored.hints_used) == (42, "abc123", 2)
    assert stored.perfcoach_version == perfcoach.__version__
    assert len(stored.uid) == 32


def test_started_defaults_to_now_in_utc(store: Store) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    recorded = store.record_attempt(_attempt())
    assert before <= recorded.started <= datetime.now(UTC)
    assert recorded.started.utcoffset() == timedelta(0)


def test_naive_and_other_timezones_are_stored_as_utc(store: Store) -> None:
    plus_two = timezone(timedelta(hours=2))
    store.record_attempt(_attempt(started=datetime(2024, 1, 1, 13, 0, 0, tzinfo=plus_two)))
    store.record_attempt(_attempt(started=datetime(2024, 1, 1, 11, 0, 0)))
    starts = [a.started for a in store.attempts()]
    assert starts == [datetime(2024, 1, 1, 11, 0, 0, tzinfo=UTC)] * 2


def test_invalid_verdict_is_rejected(store: Store) -> None:
    with pytest.raises(ValueError, match="verdict"):
        store.record_attempt(_attempt(verdict="passed"))
    assert store.attempts() == []


def test_every_documented_verdict_is_accepted(store: Store) -> None:
    for verdict in VERDICTS:
        store.record_attempt(_attempt(verdict=verdict))
    assert {a.verdict for a in store.attempts()} == set(VERDICTS)


def test_non_json_metrics_are_rejected(store: Store) -> None:
    with pytest.raises(ValueError, match="JSON"):
        store.record_attempt(_attempt(metrics={"when": datetime.now(UTC)}))
    assert store.attempts() == []


def test_attempts_are_newest_first_filtered_and_limited(store: Store) -> None:
    base = datetime(2024, 3, 1, tzinfo=UTC)
    store.record_attempt(_attempt("a", started=base + timedelta(minutes=2), message="a2"))
    store.record_attempt(_attempt("b", started=base + timedelta(minutes=3), message="b3"))
    store.record_attempt(_attempt("a", started=base, message="a0"))
    same_second = [store.record_attempt(_attempt("c", started=base)) for _ in range(3)]

    assert [a.message for a in store.attempts("a")] == ["a2", "a0"]
    assert [a.message for a in store.attempts(limit=2)] == ["b3", "a2"]
    assert [a.id for a in store.attempts("c")] == [a.id for a in reversed(same_second)]
    assert store.attempts("nobody") == []
    assert store.attempts(limit=0) == []


def test_status_goes_not_started_failing_passed(store: Store) -> None:
    fresh = store.lab_progress("lab-cache")
    assert fresh.status == "not started"
    assert (fresh.attempts, fresh.last_verdict, fresh.last_attempt) == (0, None, None)

    store.record_attempt(_attempt(verdict="timeout"))
    failing = store.lab_progress("lab-cache")
    assert failing.status == "failing"
    assert (failing.attempts, failing.last_verdict) == (1, "timeout")

    store.record_attempt(_attempt(verdict="pass"))
    store.record_attempt(_attempt(verdict="fail"))
    passed = store.lab_progress("lab-cache")
    assert passed.status == "passed"
    assert (passed.attempts, passed.last_verdict) == (3, "fail")
    assert passed.last_attempt == store.attempts("lab-cache")[0].started


def test_hints_are_idempotent_and_per_lab(store: Store) -> None:
    store.reveal_hint("lab-cache", 0)
    store.reveal_hint("lab-cache", 0)
    store.reveal_hint("lab-cache", 1)
    store.reveal_hint("lab-lock", 0)
    assert store.hints_revealed("lab-cache") == 2
    assert store.hints_revealed("lab-lock") == 1
    assert store.hints_revealed("lab-none") == 0
    assert store.lab_progress("lab-cache").hints_revealed == 2


def test_lessons_are_idempotent_and_keep_first_read(store: Store) -> None:
    assert store.lessons_read() == set()
    store.mark_lesson_read("amdahl")
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE lessons_read SET read_at = '2000-01-01T00:00:00+00:00'")
    conn.commit()
    conn.close()
    store.mark_lesson_read("amdahl")
    store.mark_lesson_read("little")
    assert store.lessons_read() == {"amdahl", "little"}
    conn = sqlite3.connect(store.path)
    (read_at,) = conn.execute(
        "SELECT read_at FROM lessons_read WHERE lesson_id = 'amdahl'"
    ).fetchone()
    conn.close()
    assert read_at == "2000-01-01T00:00:00+00:00"


def test_solution_unlocks_after_pass(store: Store) -> None:
    store.record_attempt(_attempt(verdict="fail"))
    assert not store.solution_unlocked("lab-cache")
    store.record_attempt(_attempt(verdict="pass"))
    assert store.solution_unlocked("lab-cache")
    assert not store.solution_unlocked("lab-other")


def test_solution_unlocks_after_giving_up_only(store: Store) -> None:
    store.record_solution_view("lab-cache", gave_up=False)
    assert not store.solution_unlocked("lab-cache")
    assert store.lab_progress("lab-cache").solution_viewed
    assert not store.lab_progress("lab-cache").gave_up

    store.record_solution_view("lab-cache", gave_up=True)
    store.record_solution_view("lab-cache", gave_up=False)
    assert store.solution_unlocked("lab-cache")
    progress = store.lab_progress("lab-cache")
    assert progress.gave_up and progress.solution_viewed
    assert progress.status == "not started"


def test_current_lab_is_the_last_one_set(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db") as store:
        assert store.current_lab() is None
        store.set_current_lab("lab-a")
        store.set_current_lab("lab-b")
    with Store.open(tmp_path / "p.db") as store:
        assert store.current_lab() == "lab-b"


def test_all_progress_covers_every_lab_in_any_table(store: Store) -> None:
    store.record_attempt(_attempt("attempted", verdict="pass"))
    store.reveal_hint("hinted", 0)
    store.record_solution_view("viewed", gave_up=True)
    progress = store.all_progress()
    assert set(progress) == {"attempted", "hinted", "viewed"}
    assert progress["attempted"].status == "passed"
    assert progress["hinted"].hints_revealed == 1
    assert progress["viewed"].gave_up
    assert progress["hinted"] == store.lab_progress("hinted")


def test_totals(store: Store) -> None:
    assert store.totals() == {
        "attempts": 0,
        "labs_passed": 0,
        "hints_revealed": 0,
        "lessons_read": 0,
        "time_spent_s": 0,
    }
    store.record_attempt(_attempt("a", verdict="pass", duration_s=10.4))
    store.record_attempt(_attempt("a", verdict="pass", duration_s=5.0))
    store.record_attempt(_attempt("b", verdict="fail", duration_s=2.0))
    store.record_attempt(_attempt("c", verdict="pass", duration_s=0.3))
    store.reveal_hint("b", 0)
    store.reveal_hint("b", 1)
    store.mark_lesson_read("amdahl")
    assert store.totals() == {
        "attempts": 4,
        "labs_passed": 2,
        "hints_revealed": 2,
        "lessons_read": 1,
        "time_spent_s": 17,
    }


def test_progress_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path) as store:
        store.record_attempt(_attempt(verdict="pass"))
        store.reveal_hint("lab-cache", 3)
        store.mark_lesson_read("amdahl")
    with Store.open(path) as store:
        assert store.lab_progress("lab-cache").status == "passed"
        assert store.hints_revealed("lab-cache") == 1
        assert store.lessons_read() == {"amdahl"}


def test_migrations_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path) as store:
        assert store.schema_version() == migration_names()
    with Store.open(path) as store:
        assert store.schema_version() == migration_names()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert rows == [(name,) for name in migration_names()]
    assert {"attempts", "hints", "lessons_read", "solution_views"} <= tables


def test_reopening_applies_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.db"
    Store.open(path).close()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("migrations re-applied on reopen")

    monkeypatch.setattr(MIGRATIONS, "apply", refuse)
    with Store.open(path) as store:
        assert store.schema_version() == migration_names()


def test_healthy_store_has_no_integrity_problems(store: Store) -> None:
    store.record_attempt(_attempt())
    assert store.integrity_problems() == []
    assert check_db(store.path) == []


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "progress.db")
    store.close()
    with pytest.raises(StoreError):
        store.attempts()


def test_store_error_is_a_perfcoach_error_with_exit_code_1() -> None:
    assert issubclass(StoreError, perfcoach.errors.PerfcoachError)
    assert StoreError.exit_code == 1


def test_importing_store_does_not_import_sqlite_utils() -> None:
    code = "import sys, perfcoach.store; print('sqlite_utils' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="numpy is not installed")
def test_opening_the_store_leaves_numpy_unloaded_and_importable(tmp_path: Path) -> None:
    """sqlite_utils imports numpy when it can (~100 ms at every start); the store does not
    need it, and scalene, which does, can still import it afterwards."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from perfcoach.store import Store\n"
        f"with Store.open(Path({str(tmp_path / 'p.db')!r})) as store:\n"
        "    store.attempts()\n"
        "print('numpy' in sys.modules)\n"
        "import numpy\n"
        "print(numpy.int64(3) + 1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "4"]


def test_schema_version_counts_the_migrations() -> None:
    from perfcoach.store.db import SCHEMA_VERSION

    assert len(migration_names()) == SCHEMA_VERSION


def test_a_migrated_database_opens_without_sqlite_utils(tmp_path: Path) -> None:
    """The first open migrates and stamps PRAGMA user_version; later opens (every command,
    the TUI's first screen) skip importing sqlite_utils, ~40 ms of start-up."""
    path = tmp_path / "p.db"
    Store.open(path).close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from perfcoach.store import Store\n"
        f"with Store.open(Path({str(path)!r})) as store:\n"
        "    store.attempts()\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


def test_a_database_without_the_stamp_is_checked_and_stamped(tmp_path: Path) -> None:
    """A database from before the stamp (user_version 0) goes through the migrations once."""
    path = tmp_path / "p.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version() == migration_names()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migration_names())
    conn.close()
