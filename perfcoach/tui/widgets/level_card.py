"""One level of the path as a card: its name and a progress bar, drawn as text.

One widget per card instead of a Label and a ProgressBar (four widgets, with styles and
timers of their own): the path is the first screen, and its widget count is its start time.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

BAR = "━"


class LevelCard(Static):
    """A level's name over a bar of its finished share, as wide as the card."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"level-card--done", "level-card--left"}
    DEFAULT_CSS = """
    LevelCard > .level-card--done { color: $accent; }
    LevelCard > .level-card--left { color: $foreground 15%; }
    """

    def __init__(self, level: int, name: str, finished: int, items: int) -> None:
        super().__init__(id=f"level-{level}", classes="level-card")
        self.level_name, self.finished, self.items = name, finished, items

    def show(self, name: str, finished: int, items: int) -> None:
        """Set what the card says; it redraws at its current width."""
        self.level_name, self.finished, self.items = name, finished, items
        self.refresh()

    def render(self) -> Text:
        share = self.finished / self.items if self.items else 0.0
        percent = f" {share:4.0%}"
        width = max(self.content_size.width - len(percent), 1)
        filled = round(width * share)
        room = max(self.content_size.width, 1)
        name = self.level_name
        if len(name) > room:  # five cards on 80 columns: cut the name, never wrap it
            name = name[: room - 1] + "…"
        text = Text(overflow="ellipsis", no_wrap=True)
        text.append(name, "bold")
        text.append("\n")
        text.append(BAR * filled, self.get_component_rich_style("level-card--done"))
        text.append(BAR * (width - filled), self.get_component_rich_style("level-card--left"))
        text.append(percent)
        return text
