"""The reference solution, shown beside nothing else so it can be read in full; d switches
to the diff from the learner's file."""

from __future__ import annotations

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from perfcoach.coach import SolutionFile
from perfcoach.safetext import inert


class SolutionScreen(ModalScreen[None]):
    """The lab's reference fix, or the diff from your file to it."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("d", "toggle_diff", "Diff with yours"),
    ]

    def __init__(self, files: list[SolutionFile], diff: list[str] | None) -> None:
        super().__init__()
        self.files = files
        self.diff = diff
        self.showing_diff = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog solution"):
            yield Label("", id="solution-title")
            yield Static("", id="solution-body")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        title = self.query_one("#solution-title", Label)
        body = self.query_one("#solution-body", Static)
        if self.showing_diff and self.diff is not None:
            title.update("your file → the reference (d shows the reference, escape closes)")
            body.update(
                Syntax(inert("".join(self.diff)), "diff", word_wrap=True, theme="ansi_dark")
                if self.diff
                else "your code is the reference, line for line"
            )
            return
        title.update("reference solution  (d: diff with yours, escape closes)")
        parts: list[Text | Syntax] = []
        for ref in self.files:
            parts.append(Text(ref.name, style="bold"))
            parts.append(Syntax(ref.text, "python", word_wrap=True, theme="ansi_dark"))
        body.update(Group(*parts))

    def action_toggle_diff(self) -> None:
        """Switch between the reference and the diff from your file to it."""
        if self.diff is None:
            self.notify("no file of yours to compare: start the lab first")
            return
        self.showing_diff = not self.showing_diff
        self._show()

    def action_close(self) -> None:
        """Back to the lab."""
        self.dismiss(None)
