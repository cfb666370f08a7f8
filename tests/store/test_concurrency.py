"""Two perfcoach processes (say, the TUI and a CLI run) sharing one progress database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from perfcoach.store.migrations import migration_names

# Each child announces it is ready, then spins until the start file appears, so all of
# them hit the database within the same millisecond or so.
_CHILD = """
import sys, time
from pathlib import Path
from perfcoach.store import NewAttempt, Store

db, ready, go, count = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
ready.touch()
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("start signal never came")
    time.sleep(0.0005)
with Store.open(db) as store:
    for i in range(count):
        store.record_attempt(
            NewAttempt(
                lab_id=ready.name,
                verdict="fail",
                metrics={"i": i},
                duration_s=0.01,
                seed=i,
                code_hash="h",
                hints_used=0,
            )
        )
    print(",".join(store.schema_version()))
"""


def _run_together(
    tmp_path: Path, db: Path, processes: int, writes: int
) -> list[tuple[int, str, str]]:
    """Start the children, release them at once, and collect (returncode, stdout, stderr)."""
    go = tmp_path / f"go-{db.name}"
    readies = [tmp_path / f"ready-{db.name}-{n}" for n in range(processes)]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(db), str(ready), str(go), str(writes)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ready in readies
    ]
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready in readies) and time.monotonic() < deadline:
        time.sleep(0.005)
    go.touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        results.append((child.returncode, out, err))
    return results


def test_two_processes_write_concurrently_without_losing_rows(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    results = _run_together(tmp_path, db, processes=2, writes=200)

    for returncode, _out, err in results:
        assert err == ""
        assert returncode == 0
    conn = sqlite3.connect(db)
    total, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT uid) FROM attempts").fetchone()
    per_process = conn.execute("SELECT COUNT(*) FROM attempts GROUP BY lab_id").fetchall()
    conn.close()
    assert (total, distinct) == (400, 400)
    assert per_process == [(200,), (200,)]


def test_processes_creating_the_database_at_once_all_succeed(tmp_path: Path) -> None:
    for round_ in range(4):
        db = tmp_path / f"race-{round_}.db"
        results = _run_together(tmp_path, db, processes=4, writes=1)

        assert [(code, out.strip(), err) for code, out, err in results] == [
            (0, ",".join(migration_names()), "")
        ] * 4
        conn = sqlite3.connect(db)
        applied = conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
        attempts = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()
        conn.close()
        assert applied == [(name,) for name in migration_names()]
        assert attempts == (4,)
