"""The yardstick for perfcoach's TUI start: the least a Textual app can do (one Static,
exit after its first refresh), so the ratio measures perfcoach's own cost."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello")

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Minimal().run(headless=True)
