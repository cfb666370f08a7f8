"""Progress: totals per level, quiz scores, time spent, the streak, and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from perfcoach.course import PathState, build_path
from perfcoach.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from perfcoach.tui.app import PerfcoachApp


class ProgressScreen(Screen[None]):
    """Where you stand on the mastery path."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("c", "app.continue", "Continue"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state: PathState | None = None

    @property
    def coach(self) -> PerfcoachApp:
        """The app, typed."""
        return cast("PerfcoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Label("", id="headline")
            yield DataTable(id="per-level", cursor_type="none", zebra_stripes=True)
            yield DataTable(id="quizzes", cursor_type="none", zebra_stripes=True)
            yield Label("", id="next-step")
        yield KeysFooter()

    def on_mount(self) -> None:
        # Columns are made once: a table whose columns are cleared and re-added keeps the
        # header widths and cuts every name (Textual 8.2.8).
        self.query_one("#per-level", DataTable).add_columns(
            "level", "lessons read", "labs passed", "attempts", "hints"
        )
        self.query_one("#quizzes", DataTable).add_columns("lesson", "quiz score")

    def on_screen_resume(self) -> None:
        self.refresh_progress()

    def store_changed(self) -> None:
        """Another process wrote: redraw the figures."""
        self.refresh_progress()

    def refresh_progress(self) -> None:
        """Recompute from the store."""
        self.state = state = build_path(self.coach.pack, self.coach.store, self.coach.today())
        totals = state.totals
        labs_total = sum(len(m.labs) for level in state.levels for m in level.modules)
        days = "day" if state.streak == 1 else "days"
        self.query_one("#headline", Label).update(
            f"labs passed {totals['labs_passed']}/{labs_total} · attempts {totals['attempts']} · "
            f"checking time {totals['time_spent_s'] / 60:.1f} min · "
            f"hints {totals['hints_revealed']} · lessons read {totals['lessons_read']} · "
            f"streak {state.streak} {days}"
        )
        levels = self.query_one("#per-level", DataTable)
        levels.clear()
        for level in state.levels:
            labs = [lab for module in level.modules for lab in module.labs]
            lessons = [m for m in level.modules if m.lesson is not None]
            levels.add_row(
                f"{level.level} {level.name}",
                f"{sum(m.read for m in lessons)}/{len(lessons)}",
                f"{sum(lab.done for lab in labs)}/{len(labs)}",
                str(sum(lab.attempts for lab in labs)),
                str(sum(lab.hints for lab in labs)),
            )
        quizzes = self.query_one("#quizzes", DataTable)
        quizzes.clear()
        for level in state.levels:
            for module in level.modules:
                if module.lesson is None:
                    continue
                score = (
                    f"{module.quiz.correct}/{len(module.lesson.quiz)}"
                    if module.quiz
                    else "not taken"
                )
                quizzes.add_row(module.title, score)
        nxt = state.next
        self.query_one("#next-step", Label).update(
            f"next: {nxt.kind} [b]{nxt.title}[/b] (press c)"
            if nxt
            else "the whole path is done: try the labs again with a new seed, or your own code"
        )

    def action_back(self) -> None:
        """Back to the path."""
        self.app.pop_screen()
