"""Lesson: the module's text, marked read at its end, then its quiz with instant feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, RadioButton, RadioSet, Static

from perfcoach.catalog import Lesson, QuizQuestion

if TYPE_CHECKING:
    from perfcoach.tui.app import PerfcoachApp


class LessonBody(VerticalScroll):
    """Scrolls the lesson; reaching the end counts as reading it."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.max_scroll_y > 0 and new >= self.max_scroll_y - 1:
            cast("LessonScreen", self.screen).mark_read()


class QuestionBox(Vertical):
    """One multiple-choice question; the explanation appears with the first answer."""

    def __init__(self, index: int, question: QuizQuestion) -> None:
        super().__init__(classes="question-box")
        self.index = index
        self.question = question

    def compose(self) -> ComposeResult:
        yield Label(f"Q{self.index + 1}. {self.question.question}", classes="question")
        with RadioSet(id=f"q{self.index}"):
            for choice in self.question.choices:
                yield RadioButton(choice)
        yield Static("", classes="feedback")

    def show_feedback(self, choice: int) -> bool:
        """Explain the answer; returns whether it was right."""
        right = choice == self.question.answer
        answer = self.question.choices[self.question.answer]
        text = "[b green]✔ Right.[/] " if right else f"[b red]✘ Not quite.[/] Answer: {answer}. "
        feedback = self.query_one(".feedback", Static)
        feedback.update(text + self.question.explanation)
        feedback.set_class(right, "right")
        feedback.set_class(not right, "wrong")
        return right


class LessonScreen(Screen[None]):
    """A lesson and its quiz."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "mark_read", "Mark read"),
        Binding("l", "open_lab", "Its lab"),
    ]

    def __init__(self, lesson_id: str) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.was_read = False

    @property
    def coach(self) -> PerfcoachApp:
        """The app, typed."""
        return cast("PerfcoachApp", self.app)

    @property
    def lesson(self) -> Lesson:
        """The lesson shown."""
        return self.coach.pack.lessons[self.lesson_id]

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        yield Header()
        yield Label("", id="lesson-status")
        with LessonBody(id="lesson-body"):
            objectives = "\n".join(f"- {item}" for item in lesson.objectives)
            # rich renders a long lesson in a tenth of the time Textual's Markdown widget takes
            text = f"**You will be able to**\n\n{objectives}\n\n{lesson.body}"
            yield Static(Markdown(text), id="lesson-text")
            yield Label(f"Quiz: {len(lesson.quiz)} questions", classes="quiz-title")
            for index, question in enumerate(lesson.quiz):
                yield QuestionBox(index, question)
        yield Footer()

    def on_mount(self) -> None:
        self.was_read = self.lesson_id in self.coach.store.lessons_read()
        self._status()
        self.query_one("#lesson-body").focus()

    def _status(self) -> None:
        score = self.coach.store.quiz_scores().get(self.lesson_id)
        quiz = f"quiz {score.correct}/{len(self.lesson.quiz)}" if score else "quiz not taken"
        read = "read ✔" if self.was_read else "not read yet (scroll to the end, or press r)"
        self.query_one("#lesson-status", Label).update(f"{self.lesson.title} · {read} · {quiz}")

    def mark_read(self) -> None:
        """Record the lesson as read, once."""
        if self.was_read:
            return
        from perfcoach.coach import read_lesson

        level = read_lesson(self.coach.store, self.coach.pack, self.lesson_id)
        self.was_read = True
        self._status()
        self.notify("lesson marked read")
        if level is not None:
            self.notify(
                "every lesson read and every lab passed",
                title=f"★ level {level.level} {level.name} complete",
            )

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        box = event.radio_set.parent
        if not isinstance(box, QuestionBox) or event.index < 0:
            return
        right = box.show_feedback(event.index)
        self.coach.store.record_quiz_answer(self.lesson_id, box.index, event.index, right)
        self._status()

    def action_mark_read(self) -> None:
        """Mark the lesson read without scrolling to its end."""
        self.mark_read()

    def action_open_lab(self) -> None:
        """Practise it: the module's first lab not passed yet (else its first lab)."""
        from perfcoach.coach import practice_lab

        lab = practice_lab(self.coach.store, self.coach.pack, self.lesson_id)
        if lab is None:
            self.notify("this module has no lab yet")
            return
        self.coach.open_item("lab", lab.id)

    def action_back(self) -> None:
        """Back to the path."""
        self.app.pop_screen()
