"""A small modal form: labelled inputs, submitted with enter, cancelled with escape."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


@dataclass(frozen=True)
class Field:
    """One input of a form."""

    name: str
    label: str
    placeholder: str = ""
    value: str = ""


class FormScreen(ModalScreen[dict[str, str] | None]):
    """Ask for a few values at once (a new effort, a command to measure, an export path)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, fields: list[Field], submit: str = "OK") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(self.title_text, classes="question", markup=False)
            for field in self.fields:
                yield Label(field.label, markup=False)
                yield Input(value=field.value, placeholder=field.placeholder, id=field.name)
            with Horizontal(classes="buttons"):
                yield Button(self.submit, variant="primary", id="submit")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        self.dismiss(
            {field.name: self.query_one(f"#{field.name}", Input).value for field in self.fields}
        )

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)
