"""One use case, two faces: the same steps through the CLI (CliRunner) and the TUI (Pilot)
must leave the same rows in the progress DB."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static, Tree
from typer.testing import CliRunner

from perfcoach.catalog import load_pack
from perfcoach.cli.app import app as cli
from perfcoach.tui.app import PerfcoachApp
from perfcoach.tui.screens.lab import LabScreen
from perfcoach.tui.screens.path import PathScreen
from tests.helpers import FIXTURE_PACK, add_lab, copy_pack
from tests.tui.conftest import TODAY, MakeApp, seed_history

SOLUTION = FIXTURE_PACK / "labs" / "sum-lab" / "solution" / "work.py"
Rows = dict[str, list[tuple[Any, ...]]]
Steps = Callable[[Pilot[None], PerfcoachApp], Awaitable[None]]

# What a use case leaves behind, without what differs between any two runs (ids, times,
# random seeds, timings).
QUERIES = {
    "attempts": "SELECT lab_id, verdict, hints_used, code_hash, "
    "json_extract(metrics, '$.calls.value'), json_extract(metrics, '$.calls.verdict') "
    "FROM attempts ORDER BY id",
    "hints": "SELECT lab_id, hint_index FROM hints ORDER BY lab_id, hint_index",
    "solution_views": "SELECT lab_id, gave_up FROM solution_views ORDER BY id",
    "current_lab": "SELECT lab_id FROM current_lab",
}


def rows(home: Path) -> Rows:
    conn = sqlite3.connect(home / "progress.db")
    try:
        return {table: conn.execute(sql).fetchall() for table, sql in QUERIES.items()}
    finally:
        conn.close()


def use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    monkeypatch.setenv("PERFCOACH_HOME", str(home))
    return home


def work_file() -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab" / "work.py"


def run_cli(*commands: list[str]) -> None:
    runner = CliRunner()
    for args in commands:
        if args == ["<solve>"]:
            shutil.copyfile(SOLUTION, work_file())
            continue
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1), (args, result.output)


async def run_tui(make_app: MakeApp, steps: Steps) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await pilot.pause()
        await pilot.press("t")  # start it, as `lab start` does in the CLI
        await pilot.pause()
        await steps(pilot, app)


async def press(pilot: Pilot[None], app: PerfcoachApp, *keys: str) -> None:
    """Press keys, then wait for any check they started."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()


async def both_faces(
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    commands: list[list[str]],
    steps: Steps,
) -> tuple[Rows, Rows]:
    cli_home = use_home(monkeypatch, tmp_path / "cli")
    run_cli(*commands)
    tui_home = use_home(monkeypatch, tmp_path / "tui")
    await run_tui(make_app, steps)
    return rows(cli_home), rows(tui_home)


async def test_check_with_hints_records_the_same_attempts(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async def steps(pilot: Pilot[None], app: PerfcoachApp) -> None:
        await press(pilot, app, "h", "c", "h")
        shutil.copyfile(SOLUTION, work_file())
        await press(pilot, app, "c")

    by_cli, by_tui = await both_faces(
        make_app,
        monkeypatch,
        tmp_path,
        [
            ["lab", "start", "sum-lab"],
            ["lab", "hint"],
            ["lab", "check"],
            ["lab", "hint"],
            ["<solve>"],
            ["lab", "check"],
        ],
        steps,
    )
    assert by_cli == by_tui
    assert [(a[1], a[2]) for a in by_cli["attempts"]] == [("fail", 1), ("pass", 2)]
    assert by_cli["hints"] == [("sum-lab", 0), ("sum-lab", 1)]
    assert by_cli["current_lab"] == [("sum-lab",)]


async def test_viewing_again_after_giving_up_is_a_give_up_from_both_faces(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async def steps(pilot: Pilot[None], app: PerfcoachApp) -> None:
        await press(pilot, app, "s", "y", "escape", "s", "escape")

    by_cli, by_tui = await both_faces(
        make_app,
        monkeypatch,
        tmp_path,
        [
            ["lab", "start", "sum-lab"],
            ["lab", "solution", "sum-lab", "--give-up"],
            ["lab", "solution", "sum-lab"],
        ],
        steps,
    )
    assert by_cli == by_tui
    assert by_cli["solution_views"] == [("sum-lab", 1), ("sum-lab", 1)]


async def test_viewing_after_a_pass_is_not_a_give_up_from_both_faces(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async def steps(pilot: Pilot[None], app: PerfcoachApp) -> None:
        shutil.copyfile(SOLUTION, work_file())
        await press(pilot, app, "c", "s", "escape")

    by_cli, by_tui = await both_faces(
        make_app,
        monkeypatch,
        tmp_path,
        [
            ["lab", "start", "sum-lab"],
            ["<solve>"],
            ["lab", "check", "sum-lab"],
            ["lab", "solution", "sum-lab", "--diff"],
        ],
        steps,
    )
    assert by_cli == by_tui
    assert by_cli["solution_views"] == [("sum-lab", 0)]


async def test_a_broken_lab_is_left_out_and_named_by_both_faces(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = copy_pack(tmp_path)
    shutil.copytree(root / "labs/sum-lab", root / "labs/half-done")
    (root / "labs/half-done/lab.toml").unlink()
    monkeypatch.setenv("PERFCOACH_PACK", str(root))

    listing = CliRunner().invoke(cli, ["lab", "list"])
    assert listing.exit_code == 0
    assert "sum-lab" in listing.stdout
    assert "broken lab left out: half-done" in listing.stderr

    app = PerfcoachApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PathScreen)
        labs = [node.data for node in _nodes(screen.query_one(Tree).root) if node.data]
        assert ("lab", "sum-lab") in labs
        warning = str(screen.query_one("#pack-warning", Label).render())
        assert "broken lab left out: half-done" in warning
        assert any("half-done" in n.message for n in app._notifications)
    assert app.return_code in (None, 0)


def _nodes(node: Any) -> list[Any]:
    found = []
    for child in node.children:
        found.append(child)
        found.extend(_nodes(child))
    return found


def two_lab_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeApp:
    """The fixture pack plus a second lab after sum-lab, and an app factory over it."""
    root = copy_pack(tmp_path)
    add_lab(root, "sum-lab-two", order=2, title="Sum, the sequel")
    monkeypatch.setenv("PERFCOACH_PACK", str(root))
    return lambda: PerfcoachApp(pack=load_pack(root), today=lambda: TODAY)


async def test_after_a_pass_both_faces_name_the_next_lab(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_app = two_lab_pack(tmp_path, monkeypatch)
    use_home(monkeypatch, tmp_path / "cli")
    run_cli(["lab", "start", "sum-lab"], ["<solve>"])
    passed = CliRunner().invoke(cli, ["lab", "check"])
    assert passed.exit_code == 0, passed.output
    assert "next lab: sum-lab-two (Sum, the sequel, level 1)" in passed.output
    assert "complete" not in passed.output

    use_home(monkeypatch, tmp_path / "tui")

    async def steps(pilot: Pilot[None], app: PerfcoachApp) -> None:
        shutil.copyfile(SOLUTION, work_file())
        await press(pilot, app, "c")
        details = str(app.screen.query_one("#details", Static).render())
        assert "next lab: Sum, the sequel (sum-lab-two): n opens it" in details
        toasts = [n.message for n in app._notifications]
        assert "next lab: Sum, the sequel (n opens it)" in toasts
        await press(pilot, app, "n")
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "sum-lab-two"
        await press(pilot, app, "escape")
        assert isinstance(app.screen, PathScreen)

    await run_tui(make_app, steps)


async def test_finishing_a_level_is_marked_by_both_faces(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_home(monkeypatch, tmp_path / "cli")
    run_cli(["lesson", "show", "fixture-basics"], ["lab", "start", "sum-lab"], ["<solve>"])
    passed = CliRunner().invoke(cli, ["lab", "check"])
    assert "★ level 1 Fundamentals complete" in passed.output
    assert "that was the last lab left to pass on the path" in passed.output
    again = CliRunner().invoke(cli, ["lab", "check"])
    assert "complete" not in again.output  # announced once, when it happens
    assert "✔ complete" in CliRunner().invoke(cli, ["progress"]).output

    use_home(monkeypatch, tmp_path / "tui")

    async def steps(pilot: Pilot[None], app: PerfcoachApp) -> None:
        app.store.mark_lesson_read("fixture-basics")
        shutil.copyfile(SOLUTION, work_file())
        await press(pilot, app, "c")
        titles = [n.title for n in app._notifications]
        assert "★ level 1 Fundamentals complete" in titles
        await press(pilot, app, "escape")
        screen = app.screen
        assert isinstance(screen, PathScreen)
        level = _nodes(screen.query_one(Tree).root)[0]
        assert str(level.label.plain).endswith("✔ complete")

    await run_tui(make_app, steps)


async def test_history_shows_the_same_rows_in_both_faces(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_history()
    monkeypatch.setenv("COLUMNS", "120")
    listing = CliRunner().invoke(cli, ["lab", "history", "sum-lab"]).output
    by_cli = [
        [cell.strip() for cell in line.strip("│ ").split("│")][:5]
        for line in listing.splitlines()
        if "2026-03" in line
    ]

    async def steps(pilot: Pilot[None], app: PerfcoachApp) -> None:
        table = app.screen.query_one("#attempts", DataTable)
        by_tui = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [[row[0], row[1].lower(), *row[2:]] for row in by_cli] == by_tui

    await run_tui(make_app, steps)
    assert len(by_cli) == 2
