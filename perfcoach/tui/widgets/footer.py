"""The screen's keys on one line, drawn as text, keeping every key visible at 80 columns.

Textual's Footer is a widget per key, and it composes them again after the first refresh:
on the path, the first screen, that second layout pass cost ~55 ms of a ~175 ms start.
This footer is one widget that redraws when the bindings change; a click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

PALETTE_MIN_WIDTH = 100


class KeysFooter(Widget):
    """The shown bindings of the active screen as `key Description` pairs; the command
    palette's key at the right edge where the width allows it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--disabled",
    }
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeysFooter > .keys-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeysFooter > .keys-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeysFooter > .keys-footer--disabled {
        text-style: dim;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str, bool]] = []  # start, end, key, enabled

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def _shown(self) -> list[tuple[Binding, bool]]:
        """One (binding, enabled) per action, in the order the screen lists them."""
        seen: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled)
        return list(seen.values())

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key")
        text_style = self.get_component_rich_style("keys-footer--description")
        dim = self.get_component_rich_style("keys-footer--disabled")
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str, bool]] = []
        for binding, enabled in self._shown():
            start = len(text)
            extra = dim if not enabled else None
            text.append(self.app.get_key_display(binding), key_style + extra)
            text.append(f" {binding.description}", text_style + extra)
            spans.append((start, len(text), binding.key, enabled))
            text.append(" ")
        palette = self._palette_binding()
        if palette is not None:
            label = Text.assemble(
                (self.app.get_key_display(palette), key_style),
                (f" {palette.description}", text_style),
            )
            gap = self.size.width - len(text) - len(label) - 1
            if gap > 0:
                text.append(" " * gap)
                start = len(text)
                text.append_text(label)
                spans.append((start, len(text), palette.key, True))
        self._spans = spans
        return text

    def _palette_binding(self) -> Binding | None:
        """The command palette's key, when it is enabled and the footer is wide enough."""
        if not self.app.ENABLE_COMMAND_PALETTE or self.size.width < PALETTE_MIN_WIDTH:
            return None
        entry = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return entry[1] if entry is not None else None

    def on_click(self, event: events.Click) -> None:
        """Press the key under the pointer (a bell for a key the screen has disabled)."""
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
