"""Whatever a person or learner code typed is shown literally by every screen that shows it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, OptionList, RichLog

from perfcoach.catalog import load_pack
from perfcoach.efforts import create_effort, record_baseline, set_tick
from perfcoach.store import Store
from perfcoach.tui.screens.efforts import EffortsScreen
from tests.helpers import ACTIVE_CONTROL, FIXTURE_PACK
from tests.tui.conftest import MakeApp
from tests.tui.test_lab import finish_checks, open_lab, shown, work_file
from tests.user_text import USER_TEXT, one_line, shows

CASES = pytest.mark.parametrize("text", list(USER_TEXT.values()), ids=list(USER_TEXT))


def plain(renderable: object) -> str:
    """What a cell, option or widget shows, without its styles."""
    return str(getattr(renderable, "plain", renderable))


@CASES
async def test_efforts_screen_shows_user_text_literally(make_app: MakeApp, text: str) -> None:
    with Store.open() as store:
        pack = load_pack(FIXTURE_PACK)
        create_effort(store, "e", text)
        set_tick(store, pack, "pre", "set-targets", "e", True, text)
        record_baseline(store, pack, "e", [sys.executable, "-c", "pass", text], 1, 60.0)
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EffortsScreen)
        drawn = screen.query_one("#effort-list", OptionList)._get_visual_from_index(0)
        assert one_line(text) in plain(drawn)  # the goal, as stored
        summary = shown(screen, "#effort-summary")  # type: ignore[arg-type]
        assert one_line(text) in summary
        assert shows(summary, text)  # the measured command keeps its newlines
        table = screen.query_one("#effort-items", DataTable)
        row = next(i for i, (_, item) in enumerate(screen.rows) if item.item.id == "set-targets")
        assert one_line(text) in plain(table.get_row_at(row)[2])  # the note
        table.focus()
        table.move_cursor(row=row)
        await pilot.press("o")  # the note form holds the note as typed; saving it redraws
        await pilot.pause()
        assert app.screen.query_one("#note", Input).value == one_line(text)
        await pilot.press("enter")
        await pilot.pause()
        assert one_line(text) in plain(table.get_row_at(row)[2])
    assert app.return_code in (None, 0)


@CASES
async def test_check_tab_shows_learner_text_literally(make_app: MakeApp, text: str) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_lab(pilot, app)
        work_file().write_text(
            f"print({text!r})\n\n\ndef total(xs: list[int]) -> int:\n    raise KeyError({text!r})\n"
        )
        await pilot.press("c")
        await finish_checks(pilot, app)
        details = shown(screen, "#details")
        assert details.startswith("ERROR work.py line 5, in total: KeyError:")
        assert f"KeyError: {text!r}" in details
        output = "\n".join(line.text for line in screen.query_one("#output", RichLog).lines)
        assert shows(output, text)


async def test_lab_screen_shows_a_home_with_brackets(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home [/x] [b]"
    monkeypatch.setenv("PERFCOACH_HOME", str(home))
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_lab(pilot, app)
        assert f"edit: {home}" in plain(screen.query_one("#lab-file", Label).render())


async def test_efforts_screen_makes_terminal_controls_inert(make_app: MakeApp) -> None:
    typed = "p95 \x1b[2J\x1b]0;owned\x07 \u202eSSAP"
    with Store.open() as store:
        pack = load_pack(FIXTURE_PACK)
        create_effort(store, "e", typed)
        set_tick(store, pack, "pre", "set-targets", "e", True, typed)
        record_baseline(store, pack, "e", [sys.executable, "-c", "pass", typed], 1, 60.0)
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EffortsScreen)
        row = next(i for i, (_, item) in enumerate(screen.rows) if item.item.id == "set-targets")
        for drawn in (
            plain(screen.query_one("#effort-list", OptionList)._get_visual_from_index(0)),
            shown(screen, "#effort-summary"),  # type: ignore[arg-type]
            plain(screen.query_one("#effort-items", DataTable).get_row_at(row)[2]),
        ):
            assert ACTIVE_CONTROL.search(drawn) is None
            assert "p95 ␛[2J␛]0;owned␇ \\u202eSSAP" in drawn
