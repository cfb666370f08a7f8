"""A footer that keeps every key of a screen visible at 80 columns."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

PALETTE_MIN_WIDTH = 100


class KeysFooter(Footer):
    """Compact, and the `^p palette` hint only where it does not push keys off the edge."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_MIN_WIDTH
