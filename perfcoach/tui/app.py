"""The perfcoach Textual app: shared state (pack, store, clock) and app-wide commands."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from perfcoach.catalog import Pack
from perfcoach.errors import PerfcoachError
from perfcoach.settings import Settings, read_settings, write_settings
from perfcoach.store import Store
from perfcoach.tui.commands import PathCommands

FIRST_SCREEN_ENV = "PERFCOACH_EXIT_AFTER_FIRST_SCREEN"
STORE_POLL_S = 1.0  # how soon a write from the CLI (or another app) shows on screen
TOAST_REPAINT_DELAY_S = 0.2


class PerfcoachApp(App[None]):
    """Holds one pack and one store for every screen; quitting stops any running check."""

    CSS_PATH = "app.tcss"
    TITLE = "perfcoach"
    SUB_TITLE = "performance engineering, by doing"
    COMMANDS = App.COMMANDS | {PathCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        pack: Pack | None = None,
        today: Callable[[], date] | None = None,
        exit_after_first_screen: bool = False,
    ) -> None:
        super().__init__()
        from perfcoach.coach import open_pack, pack_warning

        self.pack = pack or open_pack()
        self.pack_warning = pack_warning(self.pack)
        self.store = Store.open()
        self.today = today or (lambda: datetime.now(UTC).date())
        self._cancels: list[threading.Event] = []
        self._exit_after_first_screen = exit_after_first_screen

    def get_default_screen(self) -> Screen[None]:
        """The path is the app's base screen: pushing it over Textual's blank default one
        composed and laid out a screen nobody sees before the first one drawn."""
        from perfcoach.tui.screens.path import PathScreen

        return PathScreen()

    def on_mount(self) -> None:
        theme = read_settings().theme
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._seen_version = self.store.data_version()
        self.set_interval(STORE_POLL_S, self._watch_store)
        if self.pack_warning:
            self.notify(
                self.pack_warning,
                title="broken content",
                severity="warning",
                timeout=15,
                markup=False,
            )
        if self._exit_after_first_screen:
            self.call_after_refresh(self.exit)

    def _watch_store(self) -> None:
        """Redraw the screen from the database when another process wrote to it, so a note
        or tick from the CLI is what the learner sees (and edits) here. Not once the app has
        begun to stop: its timer still fires while the screens are taken down."""
        if not self.is_running:
            return
        version = self.store.data_version()
        if version == self._seen_version:
            return
        self._seen_version = version
        redraw = getattr(self.screen, "store_changed", None)
        if callable(redraw):
            redraw()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast, and a repaint once it has expired: Textual 8.2.8 removes the toast but
        leaves its last picture on the terminal until something else is drawn there."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        shown = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self.set_timer(shown + TOAST_REPAINT_DELAY_S, self._repaint)

    def _repaint(self) -> None:
        self.screen.refresh(layout=True)

    def register_check_cancel(self) -> threading.Event:
        """An event the app sets when it quits, so no check outlives it."""
        event = threading.Event()
        self._cancels.append(event)
        return event

    def on_unmount(self) -> None:
        from perfcoach.runner.child import kill_running

        for event in self._cancels:
            event.set()
        kill_running()
        self.store.close()

    # -- navigation: screens ask the app to go somewhere, and never search the stack --------

    def open_item(self, kind: str, item_id: str) -> None:
        """Open a lesson or a lab above the current screen (escape comes back here)."""
        if kind == "lesson":
            from perfcoach.tui.screens.lesson import LessonScreen

            self.push_screen(LessonScreen(item_id))
        else:
            from perfcoach.tui.screens.lab import LabScreen

            self.push_screen(LabScreen(item_id))

    def back_to_path(self) -> None:
        """Close every screen above the path, so the next one opens from home."""
        from perfcoach.tui.screens.path import PathScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, PathScreen):
            self.pop_screen()

    def action_continue(self) -> None:
        """Go to the first unfinished item of the path: an unread lesson or a lab not passed."""
        from perfcoach.coach import next_step

        step = next_step(self.store, self.pack, self.today())
        if step is None:
            self.notify("every lesson read and every lab passed: the path is done")
            return
        self.back_to_path()
        self.open_item(step.kind, step.id)

    def action_progress(self) -> None:
        """Totals, streak and what to do next."""
        from perfcoach.tui.screens.progress import ProgressScreen

        self.push_screen(ProgressScreen())

    def action_efforts(self) -> None:
        """Optimization efforts on your own code, with checklists and measurements."""
        from perfcoach.tui.screens.efforts import EffortsScreen

        self.push_screen(EffortsScreen())

    def action_playground(self, preset: str | None = None) -> None:
        """Simulations to play with: caches, queues, sharding, balancers, scaling."""
        from perfcoach.tui.screens.playground import DEFAULT_PRESET, PlaygroundScreen

        self.push_screen(PlaygroundScreen(preset or DEFAULT_PRESET))

    def action_help(self) -> None:
        """Keys and commands of the current screen."""
        from perfcoach.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        """Switch between dark and light (remembered): both have to look right."""
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def _remember_theme(self, theme: Theme) -> None:
        """Keep the theme (from ctrl+t or the palette's picker) for the next run."""
        try:
            write_settings(Settings(theme=theme.name))
        except PerfcoachError as exc:
            self.notify(str(exc), severity="warning", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key binding of the screen is also a palette command, listed once: its
        name, then what it does (the action's docstring) and its key."""
        commands = list(super().get_system_commands(screen))
        yield from commands
        seen = {command.title for command in commands}
        for binding in [*screen.BINDINGS, *self.BINDINGS]:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.description in seen or binding.action in ("quit", "help"):
                continue
            seen.add(binding.description)
            name = binding.action.split("(")[0]
            on_app = name.startswith("app.") or binding not in screen.BINDINGS
            target = self if on_app else screen
            method = getattr(target, f"action_{name.removeprefix('app.')}", None)
            does = (getattr(method, "__doc__", None) or "").strip().split("\n")[0]
            key = binding.key_display or binding.key
            yield SystemCommand(
                binding.description,
                f"{does} (key: {key})" if does else f"key: {key}",
                partial(self.call_later, target.run_action, binding.action),
            )


def run_tui() -> None:
    """Entry point for `perfcoach` with no arguments and `perfcoach tui`."""
    from perfcoach.processes import install_exit_handlers
    from perfcoach.startup_gc import collect_from_here

    first_only = bool(os.environ.get(FIRST_SCREEN_ENV))
    app = PerfcoachApp(exit_after_first_screen=first_only)
    install_exit_handlers(lambda _signum: app.exit(return_code=1))
    collect_from_here()
    app.run(headless=first_only)
