"""Quiz answers become scores (latest answer per question) and activity days feed the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime

from perfcoach.store import NewAttempt, Store


def test_quiz_score_counts_the_latest_answer_per_question() -> None:
    with Store.open() as db:
        db.record_quiz_answer("basics", 0, choice=2, correct=False)
        db.record_quiz_answer("basics", 0, choice=1, correct=True)
        db.record_quiz_answer("basics", 1, choice=0, correct=False)
        db.record_quiz_answer("other", 0, choice=0, correct=True)
        scores = db.quiz_scores()
    assert (scores["basics"].answered, scores["basics"].correct) == (2, 1)
    assert (scores["other"].answered, scores["other"].correct) == (1, 1)


def test_activity_dates_cover_every_kind_of_activity() -> None:
    with Store.open() as db:
        db.record_attempt(
            NewAttempt("lab", "fail", {}, 1.0, 1, "h", 0, started=datetime(2026, 1, 2, tzinfo=UTC))
        )
        db.mark_lesson_read("basics")
        dates = db.activity_dates()
    assert date(2026, 1, 2) in dates
    assert datetime.now(UTC).date() in dates
    assert len(dates) == 2


def test_migration_is_recorded() -> None:
    with Store.open() as db:
        assert "m003_quiz_answers" in db.schema_version()
