"""How each screen looks, on the fixture pack and a fixture history (SVGs in __snapshots__).

Review a changed snapshot with `pytest tests/tui/test_snapshots.py --snapshot-update` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from perfcoach.tui.screens.lab import LabScreen
from perfcoach.tui.screens.lesson import LessonScreen
from tests.helpers import seed_attempts
from tests.tui.conftest import MakeApp, fix_quiz_order, seed_history

SIZE = (100, 32)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


class TestPath:
    def test_fresh(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=settle)

    def test_with_progress(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        seed_history()
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=settle)

    def test_light_theme_small_terminal(
        self, snap_compare: Any, make_app: MakeApp, fixed_home: Path
    ) -> None:
        seed_history()
        app = make_app()
        app.theme = "textual-light"
        assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


class TestLesson:
    def test_quiz_feedback(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        async def answer(pilot: Pilot[Any]) -> None:
            pilot.app.push_screen(LessonScreen("fixture-basics"))
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            pilot.app.screen.query("OptionList").first().focus()
            await pilot.press("down", "enter")
            await settle(pilot)

        fix_quiz_order()
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=answer)


class TestLab:
    def test_brief_with_a_hint(
        self, snap_compare: Any, make_app: MakeApp, fixed_home: Path
    ) -> None:
        async def open_lab(pilot: Pilot[Any]) -> None:
            pilot.app.push_screen(LabScreen("sum-lab"))
            await pilot.pause()
            await pilot.press("h")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_lab)

    def test_history(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        seed_history()

        async def open_history(pilot: Pilot[Any]) -> None:
            pilot.app.push_screen(LabScreen("sum-lab"))
            await pilot.pause()
            await pilot.press("3")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_history)

    def test_history_chart_small_terminal_no_color(
        self,
        snap_compare: Any,
        make_app: MakeApp,
        fixed_home: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setenv("NO_COLOR", "1")
        seed_attempts()

        async def open_history(pilot: Pilot[Any]) -> None:
            pilot.app.push_screen(LabScreen("sum-lab"))
            await pilot.pause()
            await pilot.press("3")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_history)

    def test_small_terminal(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        async def open_lab(pilot: Pilot[Any]) -> None:
            pilot.app.push_screen(LabScreen("sum-lab"))
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_lab)


class TestProgress:
    def test_progress(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        seed_history()
        assert snap_compare(make_app(), terminal_size=SIZE, press=["g"], run_before=settle)


class TestEfforts:
    def test_effort_with_ticks(
        self, snap_compare: Any, make_app: MakeApp, fixed_home: Path
    ) -> None:
        from perfcoach.catalog import load_pack
        from perfcoach.efforts import create_effort, set_tick
        from perfcoach.store import Store
        from tests.helpers import FIXTURE_PACK

        with Store.open() as db:
            create_effort(db, "checkout-p95", "p95 < 200ms")
            set_tick(db, load_pack(FIXTURE_PACK), "pre", "set-targets", "checkout-p95", True,
                     "agreed with the product owner")  # fmt: skip
        assert snap_compare(make_app(), terminal_size=SIZE, press=["e"], run_before=settle)


class TestDialogs:
    def test_help(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        assert snap_compare(make_app(), terminal_size=SIZE, press=["question_mark"])

    def test_give_up_confirmation(
        self, snap_compare: Any, make_app: MakeApp, fixed_home: Path
    ) -> None:
        async def ask(pilot: Pilot[Any]) -> None:
            pilot.app.push_screen(LabScreen("sum-lab"))
            await pilot.pause()
            await pilot.press("s")
            await settle(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)


class TestPlayground:
    """At 80×24, once the simulation's numbers are in (inputs' cursors held still)."""

    @staticmethod
    async def simulated(pilot: Pilot[Any], shows: str) -> None:
        from textual.widgets import Input

        from tests.tui.test_playground import until
        from tests.tui.test_readable import screen_text

        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await until(pilot, lambda: shows in screen_text(pilot.app))
        await settle(pilot)

    def test_cache_preset(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        async def open_playground(pilot: Pilot[Any]) -> None:
            await pilot.press("p")
            await self.simulated(pilot, "57.6%")

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_playground)

    def test_bad_input(self, snap_compare: Any, make_app: MakeApp, fixed_home: Path) -> None:
        async def type_badly(pilot: Pilot[Any]) -> None:
            from perfcoach.tui.screens.playground import PlaygroundScreen

            pilot.app.push_screen(PlaygroundScreen("shard-one-vnode"))
            await self.simulated(pilot, "64.3%")
            await pilot.press("end", "backspace", "backspace", "backspace", "backspace", "x")
            await self.simulated(pilot, "not 'x'")  # the message, wrapped

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=type_badly)
