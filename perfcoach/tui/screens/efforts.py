"""Efforts: optimization jobs on your own code, their checklists, measurements and reports."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from perfcoach.efforts import EffortOverview, ItemState, create_effort, overview, set_tick
from perfcoach.efforts.measuring import drift_lines, stored_drift
from perfcoach.errors import PerfcoachError
from perfcoach.safetext import inert
from perfcoach.store import COMPARED, Efforts
from perfcoach.store import latest as newest
from perfcoach.tui.screens.form import Field, FormScreen
from perfcoach.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from collections.abc import Mapping

    from perfcoach.measure.figures import AnyFigures, LoadMeasurementFigures
    from perfcoach.tui.app import PerfcoachApp

DEFAULT_RUNS = "10"
DEFAULT_TIMEOUT_S = 600.0
TABLE_CHROME = 7  # the tick column and three columns' padding
MIN_TEXT_WIDTH = 30


class EffortsScreen(Screen[None]):
    """Efforts on your own code: goal, checklists with evidence, baseline, compare, export."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("n", "new_effort", "New"),
        Binding("space", "toggle_tick", "Tick"),
        Binding("o", "note", "Note"),
        Binding("b", "baseline", "Baseline"),
        Binding("m", "compare", "Compare"),
        Binding("x", "export", "Export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.effort_id: str | None = None
        self.view: EffortOverview | None = None
        self.rows: list[tuple[str, ItemState]] = []
        self.measuring = False

    @property
    def coach(self) -> PerfcoachApp:
        """The app, typed."""
        return cast("PerfcoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="effort-list-pane"):
                yield Label("efforts (n: new)", classes="pane-title")
                yield OptionList(id="effort-list")
            with Vertical(id="effort-detail"):
                yield Static("", id="effort-summary")
                yield DataTable(id="effort-items", cursor_type="row", zebra_stripes=True)
                yield Static("", id="item-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_list()

    def on_resize(self, event: events.Resize) -> None:
        """Item text wraps to the width there is, so it is re-laid on a resize."""
        if self.effort_id is not None:
            self.call_after_refresh(self._show_items)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tick and note act on the highlighted row of the focused table only (shown dimmed
        elsewhere): a blind space must never untick an item perfcoach ticked with evidence."""
        if action in ("toggle_tick", "note"):
            return True if self.focused is self.query_one("#effort-items") else None
        return True

    def refresh_list(self, select: str | None = None) -> None:
        """Reload the efforts; keep (or move to) the selected one."""
        efforts = Efforts(self.coach.store).all()
        options = self.query_one("#effort-list", OptionList)
        options.clear_options()
        options.add_options([Option(Text(f"{e.id}\n  {inert(e.goal)}"), id=e.id) for e in efforts])
        wanted = select or self.effort_id or (efforts[0].id if efforts else None)
        if wanted is None:
            self.query_one("#effort-summary", Static).update(
                "No effort yet. An effort is one optimization job on your own code: a goal "
                "such as 'p95 < 200ms', the pre/optimization/post checklists, and measured "
                "evidence from baseline and compare runs. Press n to start one."
            )
            return
        options.highlighted = next(i for i, e in enumerate(efforts) if e.id == wanted)
        self.show_effort(wanted)

    def store_changed(self) -> None:
        """Another process wrote: show its ticks and notes, the cursor where it was."""
        if self.effort_id is None:
            self.refresh_list()
            return
        table = self.query_one("#effort-items", DataTable)
        row = table.cursor_row
        self.refresh_list(self.effort_id)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.effort_id:
            self.show_effort(event.option.id)

    def show_effort(self, effort_id: str) -> None:
        """Render one effort: goal, latest comparison and every checklist item."""
        self.effort_id = effort_id
        self.view = view = overview(self.coach.store, self.coach.pack, effort_id)
        summary = Text()
        summary.append(f"{view.effort.id}", style="bold")
        summary.append(f" · goal: {inert(view.effort.goal)}")
        summary.append(" (checked automatically)" if view.goal else " (you judge it)")
        latest = newest(view.measurements, *COMPARED)
        load = newest(view.measurements, "load")
        baseline = newest(view.measurements, "baseline")
        summary.append(f"\nmeasurements: {len(view.measurements)}")
        if baseline is not None:
            summary.append(f"\nbaseline ({baseline.runs} runs): {inert(baseline.command)}\n")
            summary.append(baseline_figures(baseline.figures), style="bold")
        if latest is not None and "speedup" in latest.figures:
            speedup, check = latest.figures["speedup"], latest.figures["goal"]
            goal = check["verdict"] if check else ""
            if speedup:
                summary.append(
                    f"\nlatest compare: {speedup['median']:.2f}× "
                    f"({speedup['low']:.2f}–{speedup['high']:.2f})"
                )
            if goal:
                summary.append(f" · goal {goal}")
            drift = stored_drift(latest, view.measurements)
            if drift is not None:
                summary.append("\n" + "\n".join(drift_lines(drift)))
                if drift.recommends_vs:
                    summary.append(
                        "\nmeasure both in one session: m, and give the old command to "
                        "interleave with",
                        style="bold",
                    )
        if load is not None and "load" in load.figures:
            summary.append(f"\nlatest load: {load_figures(load.figures)}")
        summary.append(
            "\ntab to the checklist: space ticks the highlighted item, o adds a note",
            style="dim",
        )
        self.query_one("#effort-summary", Static).update(summary)
        self._show_items()

    def _show_items(self) -> None:
        """Every checklist item, whole: text and evidence wrap in their columns."""
        if self.view is None:
            return
        table = self.query_one("#effort-items", DataTable)
        row = table.cursor_row
        inside = table.size.width - table.styles.scrollbar_size_vertical  # as if it scrolls
        room = max(inside - TABLE_CHROME, MIN_TEXT_WIDTH)
        item_width = room * 3 // 5
        table.clear(columns=True)
        table.add_column("", width=1)
        table.add_column("checklist item", width=item_width)
        table.add_column("by · note / evidence", width=room - item_width)
        self.rows = []
        for state in self.view.checklists:
            for item in state.items():
                self.rows.append((state.checklist.id, item))
                evidence = f"evidence {', '.join(item.evidence)}" if item.evidence else ""
                said = inert(item.note) or evidence
                by = Text(item.by, style="bold")
                by.append(f": {said}" if item.by and said else said, style="not bold")
                table.add_row(
                    "✔" if item.ticked else "·",
                    Text.assemble((f"{state.checklist.id} ", "dim"), item.item.text),
                    by,
                    height=None,
                )
        table.move_cursor(row=min(row, len(self.rows) - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.rows:
            return
        checklist_id, item = self.rows[min(event.cursor_row, len(self.rows) - 1)]
        # the table shows the item and its note whole; this adds why, where to learn it and
        # the evidence, in a fixed height, so the table does not jump as the cursor moves
        detail = Text()
        detail.append(f"{checklist_id}/{item.item.id}: ", style="bold")
        detail.append(f"why: {item.item.why}", style="dim")
        if item.item.teaches:
            detail.append(f"\nlearn it: {', '.join(item.item.teaches)}", style="dim")
        if item.evidence:
            detail.append(f"\nevidence: measurement {', '.join(item.evidence)}")
        self.query_one("#item-detail", Static).update(detail)

    def _current(self) -> tuple[str, ItemState] | None:
        if not self.rows or self.effort_id is None:
            return None
        table = self.query_one("#effort-items", DataTable)
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def _require_effort(self) -> str | None:
        if self.effort_id is None:
            self.notify("start an effort first: n", severity="warning")
        return self.effort_id

    def action_new_effort(self) -> None:
        """Name an effort and its goal."""

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                effort, goal = create_effort(self.coach.store, values["id"], values["goal"])
            except PerfcoachError as exc:
                self.notify(str(exc), severity="error", timeout=8, markup=False)
                return
            checked = "checked automatically" if goal else "kept as text for you to judge"
            self.notify(f"effort {effort.id} created; goal {checked}")
            self.refresh_list(select=effort.id)

        self.app.push_screen(
            FormScreen(
                "New effort",
                [
                    Field("id", "id (a-z, 0-9, dashes)", "checkout-p95"),
                    Field(
                        "goal",
                        "goal",
                        "p95 < 200ms   (or wall < 1.5s, rss <= 200MB, speedup >= 2x)",
                    ),
                ],
                submit="Create",
            ),
            done,
        )

    def action_toggle_tick(self) -> None:
        """Tick or untick the highlighted checklist item."""
        current = self._current()
        if current is None:
            return
        checklist_id, item = current
        self._tick(checklist_id, item, not item.ticked, None)

    def _tick(self, checklist_id: str, item: ItemState, ticked: bool, note: str | None) -> None:
        table = self.query_one("#effort-items", DataTable)
        row = table.cursor_row
        try:
            set_tick(
                self.coach.store,
                self.coach.pack,
                checklist_id,
                item.item.id,
                self.effort_id,
                ticked,
                note,
            )
        except PerfcoachError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        assert self.effort_id is not None
        self.show_effort(self.effort_id)
        table.move_cursor(row=row)
        table.focus()

    def action_note(self) -> None:
        """Write a note on the highlighted item (it is ticked with the note)."""
        current = self._current()
        if current is None:
            return
        checklist_id, item = current

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._save_note(checklist_id, item, values["note"])

        self.app.push_screen(
            FormScreen(
                f"Note on: {item.item.text}",
                [
                    Field(
                        "note",
                        "note (e.g. 'p95 340ms in staging, dashboard link')",
                        value=item.note,
                    ),
                ],
                submit="Save",
            ),
            done,
        )

    def _save_note(self, checklist_id: str, item: ItemState, note: str) -> None:
        """Save, unless the note changed elsewhere while the form was open: then ask first,
        so the CLI's note is never replaced without the learner knowing."""
        from perfcoach.tui.screens.modals import ConfirmScreen

        assert self.effort_id is not None
        stored = Efforts(self.coach.store).ticks(self.effort_id).get((checklist_id, item.item.id))
        now = stored.note if stored is not None else ""
        if now == item.note:
            self._tick(checklist_id, item, True, note)
            return

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self._tick(checklist_id, item, True, note)
            else:
                self.store_changed()

        self.app.push_screen(
            ConfirmScreen(
                f"The note on this item changed elsewhere while you wrote yours. It now "
                f"reads: {now!r}. Replace it with yours?"
            ),
            answered,
        )

    def action_baseline(self) -> None:
        """Measure a command several times and keep it as the baseline."""
        if self._require_effort() is None:
            return
        self._ask_command("Baseline: the command to measure", with_vs=False)

    def action_compare(self) -> None:
        """Measure again, against the baseline or interleaved with the old command."""
        if self._require_effort() is None:
            return
        self._ask_command("Compare: the new command", with_vs=True)

    def _ask_command(self, title: str, with_vs: bool) -> None:
        fields = [
            Field("command", "command", "python bench.py"),
            Field("runs", "runs", value=DEFAULT_RUNS),
        ]
        if with_vs:
            fields.insert(
                1,
                Field(
                    "vs",
                    "old command to interleave with (empty: the baseline)",
                    "python old_bench.py",
                ),
            )

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                argv = shlex.split(values["command"])
                vs = shlex.split(values["vs"]) if values.get("vs", "").strip() else None
                runs = int(values["runs"])
            except ValueError as exc:
                self.notify(f"cannot read that: {exc}", severity="error", markup=False)
                return
            if not argv or runs < 1:
                self.notify("give a command and at least one run", severity="error")
                return
            self._measure(argv, vs, runs, compare=with_vs)

        self.app.push_screen(FormScreen(title, fields, submit="Measure"), done)

    def _measure(self, argv: list[str], vs: list[str] | None, runs: int, compare: bool) -> None:
        if self.measuring:
            self.notify("a measurement is already running")
            return
        self.measuring = True
        effort_id = self.effort_id
        self.query_one("#effort-summary", Static).loading = True

        def work() -> None:
            from perfcoach.efforts import record_baseline, record_compare
            from perfcoach.store import Store

            try:
                with Store.open() as store:  # this thread's own connection
                    if compare:
                        record_compare(
                            store,
                            self.coach.pack,
                            effort_id or "",
                            argv,
                            vs,
                            runs,
                            DEFAULT_TIMEOUT_S,
                        )
                    else:
                        record_baseline(
                            store, self.coach.pack, effort_id or "", argv, runs, DEFAULT_TIMEOUT_S
                        )
                message: str | None = None
            except PerfcoachError as exc:
                message = str(exc)
            self.app.call_from_thread(self._measured, message)

        self.run_worker(work, thread=True, group="measure")

    def _measured(self, error: str | None) -> None:
        self.measuring = False
        self.query_one("#effort-summary", Static).loading = False
        if error:
            self.notify(error, severity="error", timeout=10, markup=False)
        else:
            self.notify("measured and recorded; evidence attached to the checklists")
        if self.effort_id:
            self.show_effort(self.effort_id)

    def action_export(self) -> None:
        """Write the effort as Markdown, HTML or JSON, for a pull request or a design doc."""
        effort_id = self._require_effort()
        if effort_id is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            from perfcoach.report import FORMATS, build_report, render
            from perfcoach.report.output import write_text

            path = Path(values["path"]).expanduser()
            fmt = path.suffix.lstrip(".").replace("markdown", "md")
            if fmt not in FORMATS:
                self.notify(
                    f"name the file .md, .html or .json (not {path.name})",
                    severity="error",
                    markup=False,
                )
                return
            try:
                report = build_report(self.coach.store, self.coach.pack, effort_id)
                written = write_text(path, render(report, fmt))
            except PerfcoachError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"report written: {written}", timeout=10, markup=False)

        self.app.push_screen(
            FormScreen(
                "Export the effort report",
                [
                    Field(
                        "path",
                        "file (.md, .html or .json)",
                        value=str(Path.cwd() / f"{effort_id}.md"),
                    ),
                ],
                submit="Export",
            ),
            done,
        )

    def action_back(self) -> None:
        """Back to the path."""
        self.app.pop_screen()


def load_figures(figures: LoadMeasurementFigures) -> str:
    """A load run in one line: users, request rate, errors, p95 and the goal under load."""
    from perfcoach.numbers import seconds

    load, check = figures["load"], figures["goal"]
    total = load["total"]
    line = (
        f"{load['users']} users · {total['rps']:.1f} req/s · "
        f"{total['error_rate'] * 100:.2f} % errors · p95 {seconds(total['p95_s'])}"
    )
    return line + (f" · goal {check['verdict']}" if check else "")


def baseline_figures(figures: AnyFigures) -> str:
    """The baseline's medians (wall, CPU, peak RSS): the numbers every compare divides."""
    from perfcoach.report.model import FIGURES, format_figure

    if "measured" not in figures:  # a load run, or imported data without it
        return ""
    measured: Mapping[str, Any] = figures["measured"]
    return " · ".join(
        f"{name} {format_figure(key, measured[key]['median'])}"
        for key, name in FIGURES
        if isinstance(measured.get(key), dict) and "median" in measured[key]
    )
