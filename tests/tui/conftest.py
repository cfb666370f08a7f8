"""TUI tests drive the real app over the fixture pack, with a fixed 'today' for the streak."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from perfcoach.catalog import load_pack
from perfcoach.store import NewAttempt, Store
from perfcoach.tui.app import PerfcoachApp
from tests.helpers import FIXTURE_PACK

TODAY = date(2026, 3, 10)
SNAPSHOT_HOMES = Path("/tmp/perfcoach-snapshots")

MakeApp = Callable[[], PerfcoachApp]


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> MakeApp:
    """A factory, so a test can prepare the store before the app opens it."""
    monkeypatch.setenv("PERFCOACH_PACK", str(FIXTURE_PACK))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return lambda: PerfcoachApp(pack=load_pack(FIXTURE_PACK), today=lambda: TODAY)


@pytest.fixture
def fixed_home(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home whose path is the same on every run, so snapshots that show it are stable."""
    home = SNAPSHOT_HOMES / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    monkeypatch.setenv("PERFCOACH_HOME", str(home))
    return home


def seed_history() -> None:
    """Two attempts on sum-lab on fixed days: a fail, then a pass; the lesson read."""
    with Store.open() as db:
        for day, verdict, calls in ((9, "fail", 40_002), (10, "pass", 3)):
            db.record_attempt(NewAttempt(
                "sum-lab", verdict, {"calls": {"value": calls}}, 1.5, 7, "abc123", 1,
                started=datetime(2026, 3, day, 12, 0, tzinfo=UTC),
            ))  # fmt: skip
        db.reveal_hint("sum-lab", 0)
        db.mark_lesson_read("fixture-basics")
        db.record_quiz_answer("fixture-basics", 0, 1, True)


def fix_quiz_order() -> None:
    """The same quiz salt on every run, so a snapshot shows the same choice order."""
    with Store.open() as db:
        path = db.path
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT OR REPLACE INTO quiz_shuffle (id, salt) VALUES (1, 'snapshots')")
    conn.close()
