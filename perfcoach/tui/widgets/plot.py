"""A playground plot drawn by plotext at the widget's size, redrawn when it is resized."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from perfcoach.sim.playground import Plot
from perfcoach.simtext import draw

MIN_WIDTH, MIN_HEIGHT = 20, 6  # smaller than this, plotext draws nothing readable


class PlotView(Widget):
    """Shows one `Plot` (or a line saying why there is none); `perfcoach sim` draws the same
    plots with the same function, so the two faces show the same picture."""

    DEFAULT_CSS = """
    PlotView {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plot: Plot | None = None

    def show(self, plot: Plot) -> None:
        """Draw this plot from now on."""
        self.plot = plot
        self.refresh()

    def render(self) -> Text:
        width, height = self.size
        if self.plot is None:
            return Text("simulating…", style="italic")
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            return Text(f"{self.plot.title}: too small to draw here", style="italic")
        # drawn on the UI thread only: plotext keeps one global figure
        return Text.from_ansi(draw(self.plot, width, height, colour=True), no_wrap=True)
