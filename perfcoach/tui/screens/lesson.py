"""Lesson: the module's text, marked read at its end, then its quiz with instant feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from perfcoach.catalog import Lesson
from perfcoach.quiz import QuizAnswer, ShownQuestion, answer_question, score_text, shown_quiz
from perfcoach.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from perfcoach.tui.app import PerfcoachApp


class LessonBody(VerticalScroll):
    """Scrolls the lesson; reaching the end counts as reading it."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.max_scroll_y > 0 and new >= self.max_scroll_y - 1:
            cast("LessonScreen", self.screen).mark_read()


def _hanging(letter: str, text: str) -> Table:
    """A choice whose wrapped lines start under its text, not under its letter."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(letter, Text(text))
    return grid


class QuestionBox(Vertical):
    """One question with its choices in this learner's order, each wrapped to the width (a
    RadioButton label is cut to one line); the explanation appears with each answer."""

    def __init__(self, shown: ShownQuestion) -> None:
        super().__init__(classes="question-box")
        self.shown = shown

    @property
    def index(self) -> int:
        """The question's authored place in the quiz."""
        return self.shown.index

    def compose(self) -> ComposeResult:
        question = Text(f"Q{self.index + 1}. {self.shown.question.question}")
        yield Static(question, classes="question")
        yield OptionList(
            *(
                Option(_hanging(f"{letter}.", text), id=str(authored))
                for letter, authored, text in self.shown.choices
            ),
            id=f"q{self.index}",
            classes="choices",
        )
        yield Static("", classes="feedback")

    def show_feedback(self, answer: QuizAnswer) -> None:
        """Say whether the answer is right, which choice is, and why."""
        if answer.right:
            text = "[b green]✔ Right.[/] "
        else:
            text = f"[b red]✘ Not quite.[/] The answer is {answer.answer_letter}. "
        if not answer.scored:
            text += "[i](a retake: your first answer is the one that scores)[/] "
        feedback = self.query_one(".feedback", Static)
        feedback.update(text + escape(answer.explanation))
        feedback.set_class(answer.right, "right")
        feedback.set_class(not answer.right, "wrong")


class LessonScreen(Screen[None]):
    """A lesson and its quiz."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "mark_read", "Mark read"),
        Binding("l", "open_lab", "Its lab"),
        Binding("p", "open_playground", "Playground"),
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
            for shown in shown_quiz(self.coach.store, lesson):
                yield QuestionBox(shown)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.was_read = self.lesson_id in self.coach.store.lessons_read()
        self._status()
        self.query_one("#lesson-body").focus()

    def _status(self) -> None:
        score = self.coach.store.quiz_scores().get(self.lesson_id)
        quiz = score_text(score, len(self.lesson.quiz))
        quiz = quiz if score is None else f"quiz {quiz}"
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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        box = event.option_list.parent
        if not isinstance(box, QuestionBox) or event.option.id is None:
            return
        answer = answer_question(self.coach.store, box.shown, self.lesson_id, int(event.option.id))
        box.show_feedback(answer)
        self._status()

    def action_mark_read(self) -> None:
        """Mark the lesson read without scrolling to its end."""
        self.mark_read()

    def action_open_lab(self) -> None:
        """Practise it: this lesson's lab, or a pick of its labs with the first one not
        passed yet highlighted."""
        from perfcoach.coach import practice_lab

        labs = [lab for lab in self.coach.pack.ordered_labs() if lab.module == self.lesson_id]
        if not labs:
            self.notify("this module has no lab yet")
            return
        if len(labs) == 1:
            self.coach.open_item("lab", labs[0].id)
            return
        from perfcoach.tui.screens.modals import ChoiceScreen

        status = {lab.id: self.coach.store.lab_progress(lab.id).status for lab in labs}
        todo = practice_lab(self.coach.store, self.coach.pack, self.lesson_id) or labs[0]

        def chosen(lab_id: str | None) -> None:
            if lab_id is not None:
                self.coach.open_item("lab", lab_id)

        self.app.push_screen(
            ChoiceScreen(
                f"The labs of {self.lesson.title}",
                [(lab.id, f"{lab.id}  {lab.title}  ({status[lab.id]})") for lab in labs],
                highlighted=todo.id,
            ),
            chosen,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The playground key is there only on lessons that link to a preset."""
        return action != "open_playground" or bool(self._presets())

    def _presets(self) -> list[str]:
        from perfcoach.sim.presets import PRESETS

        return [name for name in self.lesson.playground if name in PRESETS]

    def action_open_playground(self) -> None:
        """See it move: the playground at this lesson's preset, or a pick of its presets."""
        from perfcoach.sim.presets import PRESETS

        names = self._presets()
        if len(names) == 1:
            self.coach.action_playground(names[0])
            return
        from perfcoach.tui.screens.modals import ChoiceScreen

        def chosen(name: str | None) -> None:
            if name is not None:
                self.coach.action_playground(name)

        self.app.push_screen(
            ChoiceScreen(
                f"The playground for {self.lesson.title}",
                [(name, f"{PRESETS[name].simulation}: {PRESETS[name].title}") for name in names],
            ),
            chosen,
        )

    def action_back(self) -> None:
        """Back to the path."""
        self.app.pop_screen()
