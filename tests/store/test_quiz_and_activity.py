"""Quiz answers become scores (first answer per question, retakes apart) and activity days
feed the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime

from perfcoach.store import NewAttempt, QuizScore, Store, repair_db


def test_quiz_score_counts_the_first_answer_and_shows_retakes_apart() -> None:
    with Store.open() as db:
        tries = [
            db.record_quiz_answer("basics", 0, choice=2, correct=False),
            db.record_quiz_answer("basics", 0, choice=1, correct=True),
            db.record_quiz_answer("basics", 1, choice=0, correct=True),
            db.record_quiz_answer("basics", 2, choice=0, correct=False),
            db.record_quiz_answer("other", 0, choice=0, correct=True),
        ]
        scores = db.quiz_scores()
    assert tries == [1, 2, 1, 1, 1]
    # Wrong, read the explanation, re-pick: the score stays 1 of 3 right, the retake shows 2.
    assert scores["basics"] == QuizScore("basics", 3, 1, retaken=1, latest_correct=2)
    assert scores["other"] == QuizScore("other", 1, 1, retaken=0, latest_correct=1)


def test_quiz_salt_is_made_once_per_install_and_survives_a_repair() -> None:
    with Store.open() as db:
        salt = db.quiz_salt()
        path = db.path
    assert len(salt) == 32
    with Store.open() as db:
        assert db.quiz_salt() == salt
    repair_db(path)
    with Store.open() as db:
        assert db.quiz_salt() == salt


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
        assert db.schema_version()[2:4] == ["m003_quiz_answers", "m004_quiz_shuffle"]
