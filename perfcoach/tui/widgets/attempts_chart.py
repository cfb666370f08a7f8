"""The lab's main metric per attempt against its target, drawn at the widget's own width.

Rendered on every resize rather than once: plotext draws to a fixed size, and a chart cut
or stretched by the terminal would misplace the target line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from perfcoach.console import attempts_chart


class AttemptsChart(Static):
    """A line of the attempts' figures (oldest first) with the target as a rule."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.values: tuple[float, ...] = ()
        self.target: float | None = None

    def show(self, values: Sequence[float], target: float | None) -> None:
        """Set what the chart draws; hidden while there is nothing to draw."""
        self.values, self.target = tuple(values), target
        self.display = bool(self.values)
        self.refresh()

    def render(self) -> Text:
        size = self.content_size
        if not self.values or size.width < 20 or size.height < 5:
            return Text()
        return Text(attempts_chart(self.values, self.target, size.width, size.height))
