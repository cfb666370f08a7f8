"""`?`: what this screen is for and every key it answers to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

ABOUT = """\
perfcoach teaches performance engineering by doing: read a lesson, then fix a slow lab
in your own editor. Every check measures counters first (statements, calls, bytes) and
timing second (interleaved pairs), and every attempt is recorded.

**Anywhere**: `?` this help · `ctrl+p` command palette (every action, lab and lesson by name) ·
`ctrl+t` light/dark · `escape` back · `q` quit.
"""


class HelpScreen(ModalScreen[None]):
    """Help for the screen underneath."""

    BINDINGS = [
        Binding("escape", "dismiss_help", "Close"),
        Binding("question_mark", "dismiss_help"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # bold, not a heading: Textual's Markdown cuts a heading at the dialog's width
        lines = [ABOUT, f"**{self.under.__class__.__doc__ or ''}**", ""]
        for binding in self.under.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                lines.append(f"- `{binding.key_display or binding.key}` {binding.description}")
        with VerticalScroll(classes="dialog help"):
            yield Markdown("\n".join(lines))

    def action_dismiss_help(self) -> None:
        """Back to the screen."""
        self.dismiss(None)
