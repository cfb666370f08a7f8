"""Lesson screen: reading is recorded, quiz answers give feedback and a score, and every
choice of every quiz can be read in full at 80×24."""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from perfcoach.catalog import load_pack
from perfcoach.paths import builtin_pack_root
from perfcoach.store import Store
from perfcoach.tui.app import PerfcoachApp
from perfcoach.tui.screens.lesson import LessonBody, LessonScreen, QuestionBox
from tests.tui.conftest import TODAY, MakeApp

BUILTIN = load_pack(builtin_pack_root())


async def open_lesson(pilot: Pilot, app: PerfcoachApp, lesson_id: str) -> LessonScreen:
    app.push_screen(LessonScreen(lesson_id))
    await pilot.pause()
    assert isinstance(app.screen, LessonScreen)
    return app.screen


async def pick(pilot: Pilot, box: QuestionBox, authored: int) -> str:
    """Choose a choice with the keyboard, as a learner would; returns the feedback shown."""
    box.query_one(OptionList).focus()
    await pilot.pause()
    await pilot.press("home", *["down"] * box.shown.order.index(authored), "enter")
    await pilot.pause()
    return str(box.query_one(".feedback", Static).render())


def screen_text(app: PerfcoachApp) -> str:
    """What the terminal shows, borders and scrollbars dropped, lines joined by spaces."""
    lines = (strip.text for strip in app.screen._compositor.render_strips())
    text = " ".join(re.sub(r"[│▊▎╭╮╰╯─▔▁▂▃▄▅▆▇█]", " ", line) for line in lines)
    return " ".join(text.split())


async def test_quiz_answer_shows_explanation_and_the_first_try_scores(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lesson(pilot, app, "fixture-basics")
        first, second = screen.query(QuestionBox)[:2]
        feedback = await pick(pilot, first, 1)
        assert "Right." in feedback and "same calls" in feedback
        feedback = await pick(pilot, second, 1)
        right_letter = "ABC"[second.shown.order.index(0)]
        assert f"Not quite. The answer is {right_letter}." in feedback
        assert "quiz first try 1/3, 2 of 3 answered" in str(
            screen.query_one("#lesson-status").render()
        )
        # Read the explanation, then re-pick: a retake, shown apart from the score.
        feedback = await pick(pilot, second, 0)
        assert "Right." in feedback and "a retake" in feedback
        status = str(screen.query_one("#lesson-status").render())
        assert "first try 1/3, 2 of 3 answered · retake 2/3" in status
    with Store.open() as db:
        score = db.quiz_scores()["fixture-basics"]
        rows = db._rows("SELECT question_index, choice, correct FROM quiz_answers ORDER BY id")
    assert (score.answered, score.correct, score.latest_correct) == (2, 1, 2)
    assert rows == [(0, 1, 1), (1, 1, 0), (1, 0, 1)]


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in BUILTIN.ordered_lessons()])
async def test_every_choice_is_readable_in_full_at_80x24(lesson_id: str) -> None:
    app = PerfcoachApp(pack=BUILTIN, today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, app, lesson_id)
        body = screen.query_one(LessonBody)
        quiz_top = screen.query(QuestionBox).first().virtual_region.y
        seen: list[str] = []
        step = body.scrollable_content_region.height - 10  # overlap > a choice's height
        for y in range(quiz_top, int(body.max_scroll_y) + step, step):
            body.scroll_to(y=y, animate=False)
            await pilot.pause()
            seen.append(screen_text(app))
        for box in screen.query(QuestionBox):
            for letter, _, text in box.shown.choices:
                choice = " ".join(f"{letter}. {text}".split())
                assert any(choice in page for page in seen), choice


async def test_reading_to_the_end_marks_the_lesson_read(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 12)) as pilot:
        screen = await open_lesson(pilot, app, "fixture-basics")
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
        screen = await open_lesson(pilot, app, "fixture-basics")
        await pilot.press("r")
        assert "read ✔" in str(screen.query_one("#lesson-status").render())
    with Store.open() as db:
        assert db.lessons_read() == {"fixture-basics"}


async def test_the_tui_and_the_cli_record_the_same_answer(make_app: MakeApp) -> None:
    from typer.testing import CliRunner

    from perfcoach.cli.app import app as cli

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lesson(pilot, app, "fixture-basics")
        box = screen.query(QuestionBox).first()
        await pick(pilot, box, 2)
        letter = "ABC"[box.shown.order.index(2)]
    result = CliRunner().invoke(cli, ["lesson", "quiz", "fixture-basics"], input=f"{letter}\n")
    assert result.exit_code == 2  # the input ended after one answer
    with Store.open() as db:
        rows = db._rows("SELECT lesson_id, question_index, choice, correct FROM quiz_answers")
        score = db.quiz_scores()["fixture-basics"]
    assert rows == [("fixture-basics", 0, 2, 0)] * 2
    assert (score.answered, score.correct, score.retaken) == (1, 0, 1)
