"""Playground: the five simulations of `perfcoach sim`, one input per parameter, the plot
and table redrawn as the learner types.

Each run happens in a worker thread after typing pauses (DEBOUNCE_S), on the same engines
and with the same bounds the presets use, so one run stays well under a second and the
screen never waits on it; a newer run replaces an older one's result before it is shown.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from perfcoach.sim.playground import Result
from perfcoach.sim.presets import (
    PARAMETERS,
    PRESETS,
    SIMULATIONS,
    Parameter,
    nudge,
    presets_of,
    read_value,
    run,
)
from perfcoach.simtext import cell, heading
from perfcoach.tui.widgets.footer import KeysFooter
from perfcoach.tui.widgets.plot import PlotView

DEBOUNCE_S = 0.3  # a run starts once typing has paused this long
KEPT_RESULTS = 16  # recent results kept, so going back to a preset redraws at once
DEFAULT_PRESET = "cache-zipf"


def shown_value(param: Parameter, value: float) -> str:
    """A value as the input shows it: whole numbers without a decimal point."""
    return f"{int(value)}" if param.whole else f"{value:g}"


class ParameterInput(Input):
    """A parameter's input: the arrows move its value a step, like a slider (bound here, as
    the scrolling pane around it would take them for itself)."""

    BINDINGS = [
        Binding("up", "screen.nudge(1)", "More", key_display="↑"),
        Binding("down", "screen.nudge(-1)", "Less", key_display="↓"),
    ]


class ParameterPane(Vertical):
    """One simulation's preset picker and one input per parameter. Only the simulation
    shown has one: five panes' widgets made the screen take three times as long to open."""

    def __init__(self, simulation: str, texts: list[str], preset: str | None) -> None:
        super().__init__(id="sim-pane")
        self.simulation = simulation
        self.texts = texts
        self.preset = preset

    def compose(self) -> ComposeResult:
        yield Select(
            [(p.title, p.name) for p in presets_of(self.simulation)],
            value=Select.NULL if self.preset is None else self.preset,
            prompt="custom",
            compact=True,
            id=f"{self.simulation}-preset",
            classes="sim-preset",
        )
        for param, text in zip(PARAMETERS[self.simulation], self.texts, strict=True):
            with Horizontal(classes="param"):
                yield Label(param.name, classes="param-name")
                yield ParameterInput(
                    text,
                    compact=True,
                    id=f"{self.simulation}-{param.name}",
                    tooltip=f"{param.help}, {param.low:,g} to {param.high:,g}",
                )


def preset_texts(name: str) -> list[str]:
    """What a preset puts in each input."""
    preset = PRESETS[name]
    params = PARAMETERS[preset.simulation]
    return [shown_value(p, v) for p, v in zip(params, preset.values, strict=True)]


class PlaygroundScreen(Screen[None]):
    """Simulate caches, queues, sharding, balancers and scaling: pick a simulation and a
    preset, change any parameter (type it, or ↑ and ↓ for a step), and the plot and table
    follow."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        # not a letter: the inputs, which hold the focus, take every printable key
        Binding("ctrl+n", "next_view", "Next chart"),
    ]

    def __init__(self, preset: str = DEFAULT_PRESET) -> None:
        super().__init__()
        self.preset = PRESETS[preset]
        self.simulation = self.preset.simulation
        self.result: Result | None = None
        self.view = 0
        self._timer: Timer | None = None
        self._worker: Worker[Result] | None = None
        self._asked: tuple[str, tuple[float, ...]] | None = None
        self._typed: dict[str, list[str]] = {}  # each simulation's inputs, kept across switches
        self._results: dict[tuple[str, tuple[float, ...]], Result] = {}  # same in, same out

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="playground"):
            with VerticalScroll(id="sim-controls"):
                yield Select(
                    [(title, name) for name, title in SIMULATIONS.items()],
                    value=self.simulation,
                    allow_blank=False,
                    compact=True,
                    id="simulation",
                )
                yield ParameterPane(
                    self.simulation, preset_texts(self.preset.name), self.preset.name
                )
                yield Static("", id="sim-message")
                yield Static("", id="sim-notes")
            with Vertical(id="sim-view"):
                yield PlotView(id="sim-plot")
                yield DataTable(id="sim-table", cursor_type="none", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.simulation}-{PARAMETERS[self.simulation][0].name}").focus()
        self._changed(at_once=True)

    # -- reading the inputs -----------------------------------------------------------------

    def _inputs(self) -> list[Input]:
        """The inputs of the simulation shown, in its parameters' order."""
        return list(self.query_one(ParameterPane).query(Input).results(Input))

    def _values(self) -> tuple[float, ...]:
        """The current simulation's values; ValueError with a one-line message for the first
        input that does not hold one."""
        values = []
        params = PARAMETERS[self.simulation]
        for param, field in zip(params, self._inputs(), strict=True):
            try:
                values.append(read_value(param, field.value))
            except ValueError:
                field.add_class("-invalid")
                raise
            field.remove_class("-invalid")
        return tuple(values)

    def _changed(self, at_once: bool = False) -> None:
        """Check the inputs at once; run the simulation when typing has paused."""
        message = self.query_one("#sim-message", Static)
        if self._timer is not None:
            self._timer.stop()
        try:
            values = self._values()
        except ValueError as exc:
            message.update(str(exc))
            message.add_class("error")
            # A run of a value typed over since would draw numbers under this error for
            # inputs no longer on the screen; the last result stays instead.
            self._worker = None
            self._asked = None
            return
        if message.has_class("error"):  # fixed; a "simulating…" stays until its run ends
            message.update("")
            message.remove_class("error")
        self._match_preset(values)
        if self._asked == (self.simulation, values):
            return
        if at_once:
            self._run(values)
        else:
            self._timer = self.set_timer(DEBOUNCE_S, partial(self._run, values))

    def _match_preset(self, values: tuple[float, ...]) -> None:
        """Name the preset these values are, or say they are custom."""
        picker = self.query_one(f"#{self.simulation}-preset", Select)
        match = next((p.name for p in presets_of(self.simulation) if p.values == values), None)
        if match is None and not picker.is_blank():
            picker.clear()
        elif match is not None and picker.value != match:
            picker.value = match

    # -- running ------------------------------------------------------------------------------

    def _run(self, values: tuple[float, ...]) -> None:
        self._asked = asked = (self.simulation, values)
        if asked in self._results:
            self._worker = None  # a run still going would otherwise draw over this one
            self._show(self._results[asked])
            return
        self.query_one("#sim-message", Static).update("simulating…")
        self._worker = self.run_worker(
            partial(run, self.simulation, values),
            name=self.simulation,
            group="simulation",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._worker:
            return  # an older run, replaced before it ended
        message = self.query_one("#sim-message", Static)
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, Result):
            message.update("")
            result = event.worker.result
            if self._asked is not None:
                self._results[self._asked] = result
                while len(self._results) > KEPT_RESULTS:
                    del self._results[next(iter(self._results))]
            self._show(result)
        elif event.state == WorkerState.ERROR:
            message.update(str(event.worker.error))
            message.add_class("error")
            self._asked = None  # the same values may be asked again once fixed elsewhere

    def _show(self, result: Result) -> None:
        if self.result is None or self.result.simulation != result.simulation:
            self.view = 0
        self.result = result
        self.query_one("#sim-notes", Static).update("\n".join(result.notes))
        self._draw()
        self.refresh_bindings()

    def _draw(self) -> None:
        """The current view: a plot and a table (they cycle together with ctrl+n)."""
        if self.result is None:
            return
        plots, tables = self.result.plots, self.result.tables
        self.query_one(PlotView).show(plots[self.view % len(plots)])
        table = tables[self.view % len(tables)]
        grid = self.query_one("#sim-table", DataTable)
        grid.clear(columns=True)
        for column in table.columns:
            grid.add_column(heading(column), key=column.key)
        for row in table.rows:
            grid.add_row(*(cell(col.kind, v) for col, v in zip(table.columns, row, strict=True)))

    # -- the learner's moves ----------------------------------------------------------------

    async def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "simulation" and isinstance(event.value, str):
            await self._switch(event.value)
        elif event.select.has_class("sim-preset") and isinstance(event.value, str):
            for field, text in zip(self._inputs(), preset_texts(event.value), strict=True):
                field.value = text
            self._changed(at_once=True)

    async def _switch(self, simulation: str) -> None:
        """Show another simulation's inputs: as the learner left them, or its first preset."""
        if simulation == self.simulation:
            return
        self._typed[self.simulation] = [field.value for field in self._inputs()]
        self.simulation = simulation
        first = presets_of(simulation)[0].name
        texts = self._typed.get(simulation) or preset_texts(first)
        await self.query_one(ParameterPane).remove()
        pane = ParameterPane(simulation, texts, None if simulation in self._typed else first)
        await self.query_one("#sim-controls").mount(pane, after="#simulation")
        self._changed(at_once=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith(f"{self.simulation}-"):
            self._changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_view":
            result = self.result
            views = 0 if result is None else max(len(result.plots), len(result.tables))
            return views > 1 or None
        return True

    def action_next_view(self) -> None:
        """Show the simulation's next plot and table (shard: balance; queue: waiting)."""
        self.view += 1
        self._draw()

    def action_nudge(self, steps: int) -> None:
        """Move the parameter being edited up or down by one step, like a slider."""
        fields = self._inputs()
        if self.focused not in fields:
            return
        field = fields.index(self.focused)
        param = PARAMETERS[self.simulation][field]
        try:
            value = read_value(param, fields[field].value)
        except ValueError:
            self.app.bell()  # its message says why; there is no number to move from
            return
        fields[field].value = shown_value(param, nudge(param, value, steps))

    def action_back(self) -> None:
        """Back to where you came from."""
        self.app.pop_screen()
