"""Lab: the brief, the file to edit, checks (live, or on every save), hints, profiles, history."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Header,
    Label,
    RichLog,
    Static,
    TabbedContent,
    TabPane,
)

from perfcoach.catalog import Lab
from perfcoach.coach import (
    CheckOutcome,
    Move,
    hints_shown,
    history,
    next_lab_after,
    open_solution,
    record_check,
    reveal_hint,
    solution_diff,
    solution_locked,
    start_lab,
)
from perfcoach.console import (
    CHART_WIDTH,
    VERDICT_STYLE,
    attempts_caption,
    check_table,
    profile_table,
)
from perfcoach.errors import PerfcoachError
from perfcoach.numbers import number
from perfcoach.runner import CheckResult, require, run_check
from perfcoach.runner.child import Cancelled
from perfcoach.runner.profile import profile
from perfcoach.runner.watch import POLL_INTERVAL_S, FileWatcher
from perfcoach.runner.workspace import edited_files, workspace_dir
from perfcoach.safetext import inert
from perfcoach.tui.widgets.attempts_chart import AttemptsChart
from perfcoach.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from perfcoach.measure.profilers import Profile
    from perfcoach.tui.app import PerfcoachApp

PROFILERS = [
    ("cprofile", "cProfile: functions by own time, with call counts"),
    ("scalene", "scalene: the busiest lines (sampling, in its own process)"),
    ("memory", "memory: peak RSS and the allocation sites near the peak"),
]


class LabScreen(Screen[None]):
    """A lab: read the brief, edit the file, check it until it passes."""

    BINDINGS = [
        Binding("escape", "back", "Back", show=False),  # ? lists it; the footer has no room
        Binding("e", "edit", "Edit"),
        Binding("c", "check", "Check"),
        Binding("w", "watch", "Watch"),
        Binding("h", "hint", "Hint"),
        Binding("p", "profile", "Profile"),
        Binding("s", "solution", "Solution"),
        Binding("t", "start", "Start"),
        Binding("r", "reset", "Reset"),
        Binding("n", "next_lab", "Next lab", show=False),
        Binding("1", "tab('tab-brief')", "Brief tab", show=False),
        Binding("2", "tab('tab-check')", "Check tab", show=False),
        Binding("3", "tab('tab-history')", "History tab", show=False),
        Binding("4", "tab('tab-profile')", "Profile tab", show=False),
    ]

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.checking = False
        self.recheck = False
        self.watcher: FileWatcher | None = None
        self.watch_timer: Timer | None = None
        self.cancel = threading.Event()

    @property
    def coach(self) -> PerfcoachApp:
        """The app, typed."""
        return cast("PerfcoachApp", self.app)

    @property
    def lab(self) -> Lab:
        """The lab shown."""
        return self.coach.pack.labs[self.lab_id]

    def compose(self) -> ComposeResult:
        lab = self.lab
        yield Header()
        yield Label("", id="lab-status")
        yield Label("", id="lab-file", markup=False)
        with TabbedContent(id="lab-tabs"):
            with TabPane("Brief", id="tab-brief"), VerticalScroll(id="brief-scroll"):
                yield Static(Markdown(lab.brief_path.read_text(encoding="utf-8")), id="brief")
                yield Static("", id="hints")
            with TabPane("Check", id="tab-check"), VerticalScroll():
                yield Static("press c to check your code", id="verdict")
                yield Static("", id="details")
                yield RichLog(id="output", max_lines=400, wrap=True, markup=False)
            with TabPane("History", id="tab-history"), VerticalScroll():
                yield Static("", id="trend-label", markup=False)
                yield AttemptsChart(id="trend")
                yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
            with TabPane("Profile", id="tab-profile"), VerticalScroll():
                yield Static("press p to profile your code", id="profile")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = self.lab.title
        self.cancel = self.coach.register_check_cancel()
        self._show_file()
        self._show_hints()
        self._show_history()
        self._status()
        self.query_one("#brief-scroll").focus()

    @property
    def files(self) -> list[Path]:
        """The learner's copies of the lab's files, whether or not they exist yet."""
        return [workspace_dir(self.lab) / name for name in self.lab.files]

    @property
    def started(self) -> bool:
        """Whether the learner's copy exists: opening a lab only shows it."""
        return all(path.is_file() for path in self.files)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Start is offered until the lab is started, reset only after."""
        if action == "start":
            return not self.started
        if action == "reset":
            return self.started
        return True

    def _show_file(self) -> None:
        files = ", ".join(str(path) for path in self.files)
        self.query_one("#lab-file", Label).update(
            f"edit: {files}"
            if self.started
            else f"not started: t (or your first check) copies the starter to {files}"
        )

    def _ensure_started(self) -> bool:
        """Copy the starter when the learner first asks for it (start, check, watch, edit,
        profile)."""
        if self.started:
            return True
        try:
            start_lab(self.coach.store, self.lab)
        except PerfcoachError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        self._show_file()
        self.refresh_bindings()
        self._status()
        return True

    def action_start(self) -> None:
        """Copy the starter into your workspace, ready to edit."""
        if self._ensure_started():
            self._status("started: edit the file above")

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Keys scroll what is shown: the active tab's pane gets the focus."""
        scroll = event.pane.query(VerticalScroll).first()
        if not scroll.has_focus_within:
            scroll.focus()

    def on_unmount(self) -> None:
        self.cancel.set()

    def _status(self, extra: str = "") -> None:
        progress = self.coach.store.lab_progress(self.lab_id)
        status = progress.status if progress.attempts else "not checked yet"
        watching = "● watching: checks on save" if self.watch_timer else "watch off"
        text = f"level {self.lab.level} · {status} · {watching}"
        self.query_one("#lab-status", Label).update(text + (f" · {extra}" if extra else ""))

    # -- check ------------------------------------------------------------------------------

    def action_check(self) -> None:
        """Run the grader on your file in the background; the screen stays live."""
        if self.checking:
            self.recheck = True
            self.notify("a check is running; another will follow it")
            return
        if not self._ensure_started():
            return
        try:
            folder = require(self.lab)
        except PerfcoachError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.checking = True
        self.query_one("#lab-tabs", TabbedContent).active = "tab-check"
        output = self.query_one("#output", RichLog)
        output.clear()
        output.display = False
        self.query_one("#details", Static).update("")
        self.query_one("#verdict", Static).loading = True
        self._status("checking…")
        self.run_worker(lambda: self._check_in_thread(folder), thread=True, group="check")

    def _check_in_thread(self, folder: Path) -> None:
        try:
            result = run_check(
                self.lab,
                folder,
                on_output=self._from_thread(self._output),
                cancel=self.cancel,
                time_all=False,
            )
        except Cancelled:
            return
        self._from_thread(self._checked)(result)

    def _from_thread(self, fn: Any) -> Any:
        """Call fn on the app's thread, unless the app is already gone."""

        def call(*args: Any) -> None:
            if not self.cancel.is_set():
                try:
                    self.app.call_from_thread(fn, *args)
                except RuntimeError:
                    self.cancel.set()

        return call

    def _output(self, text: str) -> None:
        """One chunk of what the learner's code printed, inert and literal."""
        output = self.query_one("#output", RichLog)
        output.display = True
        output.write(Text(inert(text).rstrip("\n")))

    def _checked(self, result: CheckResult) -> None:
        outcome = record_check(
            self.coach.store, self.coach.pack, self.lab, result, self.coach.today()
        )
        self.checking = False
        verdict = self.query_one("#verdict", Static)
        verdict.loading = False
        verdict.update(
            check_table(result)
            if result.metrics
            else Text(result.verdict.upper(), style=VERDICT_STYLE.get(result.verdict, "bold"))
        )
        self.query_one("#details", Static).update(self._details(outcome))
        if outcome.next_lab is not None:
            self.notify(
                f"next lab: {outcome.next_lab.title} (n opens it)", title="passed", timeout=10
            )
        if outcome.level_done is not None:
            level = outcome.level_done
            self.notify(
                "every lesson read and every lab passed",
                title=f"★ level {level.level} {level.name} complete",
                timeout=10,
            )
        self._show_history()
        self._status(f"last check: {result.verdict} in {result.duration_s:.1f}s")
        if self.recheck:
            self.recheck = False
            self.action_check()

    def _details(self, outcome: CheckOutcome) -> Text:
        result = outcome.result
        text = Text()
        text.append(f"{result.verdict.upper()} ", style=VERDICT_STYLE.get(result.verdict, "bold"))
        text.append(inert(result.message) + "\n")
        for line in result.detail_lines():
            text.append(f"• {inert(line)}\n")
        # the tab's width less its scrollbar, which a long result is about to need
        width = self.query_one("#tab-check", TabPane).size.width - 3
        for title, lines in result.latency_charts(min(max(width, 40), CHART_WIDTH)):
            text.append(f"{title}:\n", style="bold")
            text.append("\n".join(lines) + "\n")
        for note in result.notes:
            if note.strip():
                text.append(inert(note.rstrip()) + "\n", style="dim")
        if result.output_bytes:
            text.append(f"your code printed {result.output_bytes:,} bytes (below)\n", style="dim")
        text.append(
            {
                Move.SOLUTION: "passed: s shows the reference solution and the diff with yours",
                Move.RECHECK: "the machine was too noisy to tell: c checks again",
                Move.HINT: f"stuck? h reveals hint {outcome.next_hint} of {outcome.hints_total}",
                Move.PROFILE: "all hints revealed: p profiles your code to show where time goes",
            }[outcome.move]
        )
        if outcome.result.passed:
            nxt = outcome.next_lab
            text.append(
                f"\nnext lab: {nxt.title} ({nxt.id}): n opens it"
                if nxt is not None
                else "\nthat was the last lab left to pass on the path: well done"
            )
        return text

    def action_next_lab(self) -> None:
        """After a pass, open the next lab on the path that is not passed."""
        if self.coach.store.lab_progress(self.lab_id).status != "passed":
            self.notify("pass this lab first; then n opens the next one")
            return
        nxt = next_lab_after(self.coach.store, self.coach.pack, self.lab)
        if nxt is None:
            self.notify("every lab on the path is passed")
            return
        self.coach.back_to_path()
        self.coach.open_item("lab", nxt.id)

    # -- watch ------------------------------------------------------------------------------

    def action_watch(self) -> None:
        """Re-check automatically every time the file is saved."""
        if self.watch_timer is not None:
            self.watch_timer.stop()
            self.watch_timer = None
        else:
            if not self._ensure_started():
                return
            self.watcher = FileWatcher(self.files)
            self.watch_timer = self.set_interval(POLL_INTERVAL_S, self.poll_files)
        self._status()  # says whether it is watching: no toast over the brief

    def poll_files(self) -> None:
        """One poll of the watched files; a save starts a check."""
        if self.watcher is not None and self.watcher.changed():
            self.action_check()

    # -- hints, solution, reset, edit, profile ----------------------------------------------

    def action_hint(self) -> None:
        """Reveal the next hint (recorded)."""
        hints = reveal_hint(self.coach.store, self.lab)
        if hints.new:
            # in the status line, not a toast: a toast would cover the hint it announces
            self._status(f"hint {len(hints.shown)}/{hints.total} below")
        else:
            self.notify("every hint is revealed; s shows the solution if you give up")
        self.query_one("#lab-tabs", TabbedContent).active = "tab-brief"
        self._show_hints()
        shown = self.query_one("#hints", Static)
        self.call_after_refresh(shown.scroll_visible, top=True, animate=False)

    def _show_hints(self) -> None:
        hints = hints_shown(self.coach.store, self.lab)
        lines = [
            f"[b]Hint {i} of {hints.total}[/b]  {text}" for i, text in enumerate(hints.shown, 1)
        ]
        self.query_one("#hints", Static).update(
            "\n\n".join(lines) if lines else f"{len(self.lab.hints)} hints available: press h"
        )

    def action_solution(self) -> None:
        """The reference fix: open after a pass, or after you confirm giving up."""
        if not solution_locked(self.coach.store, self.lab):
            self._open_solution(give_up=False)
            return
        from perfcoach.tui.screens.modals import ConfirmScreen

        def answered(give_up: bool | None) -> None:
            if give_up:
                self._open_solution(give_up=True)

        self.app.push_screen(
            ConfirmScreen(
                "The solution unlocks when you pass. Give up and see it now? "
                "(recorded as a give-up)",
                yes="Give up",
            ),
            answered,
        )

    def _open_solution(self, give_up: bool) -> None:
        from perfcoach.tui.screens.solution import SolutionScreen

        files = open_solution(self.coach.store, self.lab, give_up=give_up)
        try:
            diff = solution_diff(self.lab, files)
        except PerfcoachError:
            diff = None
        self.app.push_screen(SolutionScreen(files, diff))

    def action_reset(self) -> None:
        """Put the starter back; your edits are backed up first."""
        from perfcoach.tui.screens.modals import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                workspace = start_lab(self.coach.store, self.lab, force=True)
                saved = f"; your edits are in {workspace.backup}" if workspace.backup else ""
                self.notify(f"starter restored{saved}", markup=False)

        if not edited_files(self.lab):
            self.notify("your file is still the starter: nothing to reset")
            return
        self.app.push_screen(
            ConfirmScreen(
                "Replace your edits with the starter code? (they are backed up first)", yes="Reset"
            ),
            answered,
        )

    def action_edit(self) -> None:
        """Open the file in $VISUAL, $EDITOR, nano or vi, with perfcoach suspended."""
        from perfcoach.editor import FALLBACK_EDITORS, find_editor

        if not self._ensure_started():
            return
        editor = find_editor()
        if editor is None:
            self.notify(
                "no editor found: set $VISUAL or $EDITOR, or install "
                f"{' or '.join(FALLBACK_EDITORS)}; the file is {self.files[0]}",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                subprocess.run([*editor, str(self.files[0])], check=False)
        except SuspendNotSupported:
            self.notify(
                f"this terminal cannot suspend perfcoach; edit {self.files[0]} in another window",
                severity="warning",
                markup=False,
            )
        except OSError as exc:
            self.notify(
                f"cannot start {editor[0]}: {exc.strerror or exc}", severity="error", markup=False
            )
        if self.watcher is not None and self.watcher.changed():
            self.action_check()

    def action_profile(self) -> None:
        """Run the workload on your code under cProfile, scalene or the memory profilers."""
        from perfcoach.tui.screens.modals import ChoiceScreen

        def chosen(profiler: str | None) -> None:
            if profiler is None or not self._ensure_started():
                return
            target = self.query_one("#profile", Static)
            self.query_one("#lab-tabs", TabbedContent).active = "tab-profile"
            target.loading = True
            self.run_worker(lambda: self._profile_in_thread(profiler), thread=True, group="profile")

        self.app.push_screen(ChoiceScreen("Profile your code with…", PROFILERS), chosen)

    def _profile_in_thread(self, profiler: str) -> None:
        try:
            result: Profile | str = profile(self.lab, require(self.lab), profiler)
        except PerfcoachError as exc:
            result = str(exc)
        self._from_thread(self._profiled)(result)

    def _profiled(self, result: Profile | str) -> None:
        target = self.query_one("#profile", Static)
        target.loading = False
        target.update(
            Text(inert(result), style="red") if isinstance(result, str) else profile_table(result)
        )

    # -- history ----------------------------------------------------------------------------

    def store_changed(self) -> None:
        """Another process wrote (a check or hint from the CLI): redraw hints, history, status."""
        self._show_hints()
        self._show_history()
        self._status()

    def _show_history(self) -> None:
        primary = self.lab.metrics[0]
        rows = history(self.coach.store, self.lab, limit=50)
        table = self.query_one("#attempts", DataTable)
        table.clear(columns=True)
        table.add_columns("when (UTC)", "verdict", primary.title, "hints", "seconds")
        for row in rows:
            table.add_row(
                row.started.strftime("%Y-%m-%d %H:%M"),
                Text(row.verdict, style=VERDICT_STYLE.get(row.verdict, "")),
                number(row.value),
                str(row.hints_used),
                f"{row.duration_s:.1f}",
            )
        measured = [row for row in reversed(rows) if row.value is not None]
        target = measured[-1].target if measured else None
        self.query_one("#trend", AttemptsChart).show(
            [row.value for row in measured if row.value is not None], target
        )
        self.query_one("#trend-label", Static).update(
            attempts_caption(primary, len(measured), target)
            if measured
            else "no attempts yet: press c to check"
        )

    def action_tab(self, tab: str) -> None:
        """Switch tabs from the keyboard."""
        self.query_one("#lab-tabs", TabbedContent).active = tab

    def action_back(self) -> None:
        """Back to where you came from (a running check is stopped)."""
        self.app.pop_screen()
