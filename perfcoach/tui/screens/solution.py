"""The reference solution, shown beside nothing else so it can be read in full."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from perfcoach.catalog import Lab


class SolutionScreen(ModalScreen[None]):
    """The lab's reference fix."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, lab: Lab) -> None:
        super().__init__()
        self.lab = lab

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog solution"):
            for name in self.lab.files:
                path = self.lab.solution_dir / name
                yield Label(f"reference solution: {name}  (escape closes)")
                yield Static(
                    Syntax(
                        path.read_text(encoding="utf-8"),
                        "python",
                        word_wrap=True,
                        theme="ansi_dark",
                    )
                )

    def action_close(self) -> None:
        """Back to the lab."""
        self.dismiss(None)
