"""Efforts screen: create an effort, tick and note items, measure a command, export a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from typer.testing import CliRunner

from perfcoach.store import Efforts, NewEffort, NewMeasurement, Store
from perfcoach.tui.screens.efforts import EffortsScreen
from tests.cli.test_compare_load import run_at_load
from tests.cli.test_efforts import new_effort
from tests.tui.conftest import MakeApp


async def fill(pilot: object, values: dict[str, str]) -> None:
    screen = pilot.app.screen  # type: ignore[attr-defined]
    for name, value in values.items():
        screen.query_one(f"#{name}", Input).value = value
    screen.query_one(Input).focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def effort_from_the_form(pilot: Pilot[Any], values: dict[str, str]) -> None:
    """Open the Efforts screen (e) and its new-effort form (n), and fill it in."""
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    await fill(pilot, values)


async def test_effort_from_creation_to_report(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await effort_from_the_form(pilot, {"id": "checkout-p95", "goal": "wall < 5s"})
        screen = app.screen
        assert isinstance(screen, EffortsScreen) and screen.effort_id == "checkout-p95"

        table = screen.query_one("#effort-items", DataTable)
        table.focus()
        table.move_cursor(row=1)  # pre / set-targets
        await pilot.press("space")
        await pilot.press("o")
        await pilot.pause()
        await fill(pilot, {"note": "p95 <340ms> in staging"})

        await pilot.press("b")
        await pilot.pause()
        command = f"{sys.executable} -c pass"
        await fill(pilot, {"command": command, "runs": "2"})
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.measuring
        assert screen.view is not None and len(screen.view.measurements) == 1

        report = tmp_path / "report.html"
        await pilot.press("x")
        await pilot.pause()
        await fill(pilot, {"path": str(report)})

    html = report.read_text()
    assert "checkout-p95" in html and "&lt;340ms&gt;" in html and "<340ms>" not in html
    with Store.open() as db:
        ticks = Efforts(db).ticks("checkout-p95")
        baselines = Efforts(db).measurements("checkout-p95", kind="baseline")
    assert ticks[("pre", "set-targets")].note == "p95 <340ms> in staging"
    assert baselines[0].runs == 2
    assert ticks[("pre", "baseline-metrics")].ticked  # evidence ticks the baseline item


async def test_bad_effort_id_is_explained(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await effort_from_the_form(pilot, {"id": "Bad Id", "goal": "faster"})
        assert isinstance(app.screen, EffortsScreen)
        assert app.screen.effort_id is None
        assert any("a-z, 0-9" in n.message for n in app._notifications)


async def test_the_latest_load_run_is_summarised(make_app: MakeApp) -> None:
    from tests.cli.test_load import load_figures

    with Store.open() as db:
        efforts = Efforts(db)
        efforts.create(NewEffort("api", "p95 < 1s", "p95", "<", 1.0))
        new = NewMeasurement("api", "load", "locust -f locustfile.py", 1, load_figures())
        efforts.record_measurement(new, [("post", "load-test")], "measured by perfcoach (load)")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EffortsScreen) and screen.effort_id == "api"
        summary = str(screen.query_one("#effort-summary", Static).render())
    assert "latest load: 10 users · 10.0 req/s · 0.00 % errors · p95 100 ms" in summary


async def test_an_unpaired_compare_shows_the_load_difference(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The efforts screen says what `compare` said: when the two sides ran at loads more
    than the margin apart, and that pairing them (m, with the old command) is the cure."""
    runner = CliRunner()
    new_effort(runner)
    with monkeypatch.context() as then:
        run_at_load(runner, then, 0.2, "baseline", "checkout")
    run_at_load(runner, monkeypatch, 1.4, "compare", "checkout")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EffortsScreen) and screen.effort_id == "checkout"
        summary = str(screen.query_one("#effort-summary", Static).render())
    assert "unpaired: the baseline ran at " in summary
    assert "1-minute load: 0.20 for the baseline, 1.40 for the candidate, on 2 CPUs" in summary
    assert "load differs by 0.60 per CPU, more than the 0.5 margin" in summary
    assert "measure both in one session: m, and give the old command" in summary


async def test_a_write_seen_while_the_app_shuts_down_redraws_nothing(make_app: MakeApp) -> None:
    """The store watcher's timer still fires while the app takes its screens down: it
    redrew an effort whose table was already gone, and the app crashed on the way out (seen
    in CI in the test above). Once the app has stopped, a write it sees redraws nothing."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await effort_from_the_form(pilot, {"id": "checkout-p95", "goal": "wall < 5s"})
        screen = app.screen
        assert isinstance(screen, EffortsScreen) and screen.effort_id == "checkout-p95"
    with Store.open() as db:
        Efforts(db).create(NewEffort("other", "p95 < 1s"))
    app._watch_store()
