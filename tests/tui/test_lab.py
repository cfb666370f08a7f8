"""Lab screen: checks in a worker, history, hints, watch, solution, reset, quitting mid-check."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from textual.widgets import DataTable, RichLog, Static

from perfcoach.store import Store
from perfcoach.tui.app import PerfcoachApp
from perfcoach.tui.screens.lab import LabScreen
from tests.cli.test_processes import sandbox_pids
from tests.helpers import ACTIVE_CONTROL, FIXTURE_PACK, HOSTILE, MESSAGE
from tests.tui.conftest import MakeApp

SOLUTION = FIXTURE_PACK / "labs" / "sum-lab" / "solution" / "work.py"


def work_file() -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab" / "work.py"


async def open_lab(pilot: object, app: PerfcoachApp) -> LabScreen:
    """Open the lab and start it (t), as a learner about to edit does."""
    app.push_screen(LabScreen("sum-lab"))
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, LabScreen)
    await pilot.press("t")  # type: ignore[attr-defined]
    assert work_file().is_file()
    return app.screen


async def finish_checks(pilot: object, app: PerfcoachApp) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def shown(screen: LabScreen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    renderable = widget.render()
    return str(getattr(renderable, "plain", renderable))


async def test_starting_the_lab_shows_the_file(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lab(pilot, app)
        assert str(work_file()) in str(screen.query_one("#lab-file").render())


async def test_check_starter_fails_then_solution_passes(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lab(pilot, app)
        await pilot.press("c")
        await finish_checks(pilot, app)
        assert not screen.checking
        assert "FAIL function calls" in shown(screen, "#details")
        assert "h reveals hint 1 of 3" in shown(screen, "#details")
        shutil.copyfile(SOLUTION, work_file())
        await pilot.press("c")
        await finish_checks(pilot, app)
        assert "PASS every target met" in shown(screen, "#details")
        table = screen.query_one("#attempts", DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[1]) == "pass"
        assert "per attempt (2, oldest → newest)" in str(screen.query_one("#trend-label").render())
    with Store.open() as db:
        assert [a.verdict for a in db.attempts("sum-lab")] == ["pass", "fail"]


async def test_learner_output_and_errors_are_shown_inert(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lab(pilot, app)
        work_file().write_text(HOSTILE)
        await pilot.press("c")
        await finish_checks(pilot, app)
        details = shown(screen, "#details")
        assert f"ERROR work.py line 6, in total: {MESSAGE}" in details
        assert f"\n{MESSAGE}\n" in details  # the traceback's last line
        output = "\n".join(line.text for line in screen.query_one("#output", RichLog).lines)
        assert "␛[2J␛[H✔ PASS every target met" in output
        assert "␛]0;owned␇␀ 10%\n✔ PASS \\x9b2J \\u202eSSAP\\u202c :thumbs_up:" in output
        await pilot.press("p", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        profiled = shown(screen, "#profile")
        assert f"your code failed while profiled: work.py line 6, in total: {MESSAGE}" in profiled
        for text in (details, output, profiled):
            assert ACTIVE_CONTROL.search(text) is None


async def test_hint_is_revealed_and_recorded(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lab(pilot, app)
        assert "3 hints available" in shown(screen, "#hints")
        await pilot.press("h")
        assert "Hint 1 of 3" in shown(screen, "#hints")
    with Store.open() as db:
        assert db.hints_revealed("sum-lab") == 1


async def test_watch_rechecks_when_the_file_is_saved(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lab(pilot, app)
        await pilot.press("w")
        assert "● watching" in str(screen.query_one("#lab-status").render())
        work_file().write_text(SOLUTION.read_text())
        screen.poll_files()  # what the 0.5 s timer does
        assert screen.checking
        await finish_checks(pilot, app)
        assert "PASS" in shown(screen, "#details")
        screen.poll_files()
        assert not screen.checking  # no save, no new check
        await pilot.press("w")
        assert "watch off" in str(screen.query_one("#lab-status").render())


async def test_solution_needs_a_pass_or_a_confirmed_give_up(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_lab(pilot, app)
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "SolutionScreen"
        await pilot.press("escape")
    with Store.open() as db:
        progress = db.lab_progress("sum-lab")
    assert progress.gave_up and progress.solution_viewed


async def test_reset_restores_the_starter_after_confirmation(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_lab(pilot, app)
        work_file().write_text("# my attempt\n")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert "def add" in work_file().read_text()
    [backup] = list((work_file().parent / ".backup").glob("*/work.py"))
    assert backup.read_text() == "# my attempt\n"


async def test_quitting_mid_check_kills_the_child(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_lab(pilot, app)
        work_file().write_text("def total(xs):\n    while True:\n        pass\n")
        await pilot.press("c")
        for _ in range(100):
            if sandbox_pids(os.getpid()):
                break
            await pilot.pause(0.05)
        assert sandbox_pids(os.getpid())
        await pilot.press("q")
    assert sandbox_pids(os.getpid()) == []  # killed as the app closed, not left to its timeout
    with Store.open() as db:
        assert db.attempts("sum-lab") == []
