"""The course model: what is finished, what comes next, and the streak."""

from __future__ import annotations

from datetime import date

from perfcoach.catalog import load_pack
from perfcoach.course import build_path, streak
from perfcoach.store import NewAttempt, Store
from tests.helpers import FIXTURE_PACK


def attempt(verdict: str) -> NewAttempt:
    return NewAttempt("sum-lab", verdict, {}, 0.5, 1, "h", 0)


def test_next_step_walks_lesson_then_lab_then_nothing() -> None:
    pack = load_pack(FIXTURE_PACK)
    with Store.open() as db:
        fresh = build_path(pack, db)
        assert (fresh.next.kind, fresh.next.id) == ("lesson", "fixture-basics")
        level1 = fresh.levels[0]
        assert (level1.finished, level1.items) == (0, 2)
        db.mark_lesson_read("fixture-basics")
        db.record_attempt(attempt("fail"))
        reading_done = build_path(pack, db)
        assert (reading_done.next.kind, reading_done.next.id) == ("lab", "sum-lab")
        assert reading_done.lab("sum-lab").status == "failing"
        db.record_attempt(attempt("pass"))
        done = build_path(pack, db)
    assert done.next is None
    assert done.levels[0].modules[0].done
    assert done.totals["labs_passed"] == 1
    assert [level.items for level in done.levels[1:]] == [0, 0, 0, 0]


def test_streak_counts_consecutive_days_ending_today_or_yesterday() -> None:
    today = date(2026, 3, 10)
    days = {date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 6)}
    assert streak(days, today) == 3
    assert streak(days - {today}, today) == 2  # today not yet active: the streak still stands
    assert streak({date(2026, 3, 7)}, today) == 0
    assert streak(set(), today) == 0
