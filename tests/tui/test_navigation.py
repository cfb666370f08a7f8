"""Navigation is the App's: open an item, continue, come back to the path unmoved."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Tree

from perfcoach.tui.screens.lab import LabScreen
from tests.tui.test_both_faces import run_cli, two_lab_pack, use_home


async def test_l_from_a_lesson_opens_the_first_lab_not_passed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_app = two_lab_pack(tmp_path, monkeypatch)
    use_home(monkeypatch, tmp_path / "home")
    run_cli(["lab", "start", "sum-lab"], ["<solve>"], ["lab", "check"])
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_item("lesson", "fixture-basics")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        # two labs: a pick of them, the first not passed highlighted, so enter opens it
        assert type(app.screen).__name__ == "ChoiceScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "sum-lab-two"


async def test_coming_back_to_the_path_keeps_the_cursor_where_it_was(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_app = two_lab_pack(tmp_path, monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        assert tree.cursor_node is not None
        assert tree.cursor_node.data == ("lesson", "fixture-basics")  # the next item
        await pilot.press("down", "down")
        await pilot.pause()
        assert tree.cursor_node.data == ("lab", "sum-lab-two")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        assert tree.cursor_node is not None
        assert tree.cursor_node.data == ("lab", "sum-lab-two")


async def test_n_opens_the_next_lab_of_a_lab_passed_before(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_app = two_lab_pack(tmp_path, monkeypatch)
    use_home(monkeypatch, tmp_path / "home")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_item("lab", "sum-lab")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.lab_id == "sum-lab"  # type: ignore[attr-defined]
        assert any("pass this lab first" in n.message for n in app._notifications)
    run_cli(["lab", "start", "sum-lab"], ["<solve>"], ["lab", "check", "sum-lab"])
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_item("lab", "sum-lab")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "sum-lab-two"
