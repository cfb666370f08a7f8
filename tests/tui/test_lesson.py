"""Lesson screen: reading is recorded, quiz answers give feedback and a score."""

from __future__ import annotations

from textual.widgets import RadioSet, Static

from perfcoach.store import Store
from perfcoach.tui.screens.lesson import LessonScreen, QuestionBox
from tests.tui.conftest import MakeApp


async def open_lesson(pilot: object, app: object) -> LessonScreen:
    app.push_screen(LessonScreen("fixture-basics"))  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return app.screen  # type: ignore[attr-defined]


async def test_quiz_answer_shows_explanation_and_is_recorded(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lesson(pilot, app)
        first = screen.query(QuestionBox).first()
        first.query_one(RadioSet).focus()
        await pilot.press("down", "enter")  # the second choice: the right one
        await pilot.pause()
        feedback = str(first.query_one(".feedback", Static).render())
        assert "Right." in feedback and "same calls" in feedback
        second = screen.query(QuestionBox)[1]
        second.query_one(RadioSet).focus()
        await pilot.press("down", "enter")  # wrong: the answer is the first choice
        await pilot.pause()
        assert "Not quite." in str(second.query_one(".feedback", Static).render())
        assert "quiz 1/3" in str(screen.query_one("#lesson-status").render())
    with Store.open() as db:
        score = db.quiz_scores()["fixture-basics"]
    assert (score.answered, score.correct) == (2, 1)


async def test_reading_to_the_end_marks_the_lesson_read(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 12)) as pilot:
        screen = await open_lesson(pilot, app)
        with Store.open() as db:
            assert db.lessons_read() == set()
        await pilot.press("end")
        await pilot.pause()
        assert screen.was_read
    with Store.open() as db:
        assert db.lessons_read() == {"fixture-basics"}


async def test_mark_read_key(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lesson(pilot, app)
        await pilot.press("r")
        assert "read ✔" in str(screen.query_one("#lesson-status").render())
    with Store.open() as db:
        assert db.lessons_read() == {"fixture-basics"}
