"""Issue 9: what a learner reads is whole and reachable at 80×24, and keys act where they point.

Snapshots pass on cut text, so these read the composed screen as plain text instead.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Tree

from perfcoach.catalog import load_pack
from perfcoach.efforts import create_effort, record_baseline, set_tick
from perfcoach.store import Efforts, Store
from perfcoach.tui.app import PerfcoachApp
from perfcoach.tui.screens.efforts import EffortsScreen
from perfcoach.tui.screens.lab import LabScreen
from perfcoach.tui.screens.lesson import LessonScreen
from perfcoach.tui.screens.path import PathScreen
from tests.helpers import FIXTURE_PACK
from tests.tui.conftest import TODAY, MakeApp, seed_history

SMALL = (80, 24)
LONG_LINE = "The brief goes on, paragraph after paragraph, so a learner must scroll it."
LAST_LINE = "This is the last line of the brief."


def screen_text(app: PerfcoachApp) -> str:
    """Every character on screen now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def region_text(app: PerfcoachApp, selector: str) -> str:
    """What one widget shows on screen, without what surrounds it."""
    region = app.screen.query_one(selector).content_region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return "\n".join(strip.crop(region.x, region.right).text for strip in strips)


def squeezed(text: str) -> str:
    """Screen text without any whitespace, to find a path that wrapped mid-word."""
    return "".join(text.split())


def flat(text: str) -> str:
    """Screen text with the wrapping undone, to look for a whole sentence."""
    return " ".join(text.split())


async def until(pilot: Pilot[Any], ready: Callable[[], bool]) -> None:
    """Poll for a state the app reaches on its own time."""
    for _ in range(200):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never got there")


def work_file() -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab" / "work.py"


@pytest.fixture
def big_pack(tmp_path: Path) -> Path:
    """The fixture pack with a long brief and a second lab in the same module."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    brief = root / "labs" / "sum-lab" / "README.md"
    brief.write_text(
        brief.read_text() + "\n" + f"\n\n{LONG_LINE}" * 30 + f"\n\n{LAST_LINE}\n", encoding="utf-8"
    )
    second = root / "labs" / "sum-lab-2"
    shutil.copytree(root / "labs" / "sum-lab", second)
    toml = second / "lab.toml"
    toml.write_text(
        toml.read_text()
        .replace('id = "sum-lab"', 'id = "sum-lab-2"')
        .replace("order = 1", "order = 2")
        .replace("Sum without the detour", "Sum it again"),
        encoding="utf-8",
    )
    return root


@pytest.fixture
def make_big_app(big_pack: Path, monkeypatch: pytest.MonkeyPatch) -> MakeApp:
    monkeypatch.setenv("PERFCOACH_PACK", str(big_pack))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return lambda: PerfcoachApp(pack=load_pack(big_pack), today=lambda: TODAY)


# -- progress -----------------------------------------------------------------------------


async def test_progress_names_are_whole_at_80x24(make_app: MakeApp) -> None:
    seed_history()
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("g")
        await until(pilot, lambda: "Fixture basics" in screen_text(app))
        text = screen_text(app)
        assert "1 Fundamentals" in text and "4 Expert" in text


# -- lab ----------------------------------------------------------------------------------


async def test_the_brief_scrolls_without_tab(make_big_app: MakeApp) -> None:
    app = make_big_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.pause()
        assert LAST_LINE not in screen_text(app)
        await pilot.press("pagedown")
        await pilot.press("end")
        await until(pilot, lambda: LAST_LINE in screen_text(app))
        await pilot.press("home")
        await pilot.press("down")
        brief = app.screen.query_one("#brief").parent
        assert brief is not None and brief.scroll_y == 1


async def test_opening_a_lab_does_not_start_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.pause()
        assert not work_file().exists()
        assert "t Start" in screen_text(app)
        await pilot.press("t")
        await until(pilot, work_file().is_file)
        assert str(work_file()) in squeezed(screen_text(app))


async def test_the_first_check_starts_the_lab(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert work_file().is_file()
    with Store.open() as db:
        assert [a.verdict for a in db.attempts("sum-lab")] == ["fail"]


async def test_profiling_starts_the_lab(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("p")
        await until(pilot, lambda: type(app.screen).__name__ == "ChoiceScreen")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert work_file().is_file()
        assert "cannot" not in str(app.screen.query_one("#profile").render())


async def test_lab_keys_and_status_fit_80_columns(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("t", "w")
        await until(pilot, lambda: "watching" in screen_text(app))
        footer = screen_text(app).splitlines()[-1]
        for key in ("r Reset", "? Help", "q Quit", "c Check", "h Hint"):
            assert key in footer
        status = app.screen.query_one("#lab-status")
        assert status.size.height == 1
        assert "watching" in str(status.render())


async def test_help_heading_is_whole(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await pilot.pause()
        assert LabScreen.__doc__ in flat(region_text(app, ".dialog"))


async def test_a_revealed_hint_is_readable(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("h")
        await pilot.pause()
        hint = "Hint 1 of 3 Look at how many calls one total makes."
        await until(pilot, lambda: hint in flat(screen_text(app)))
        hints = app.screen.query_one("#hints").region
        assert not [toast for toast in app.screen.query("Toast") if toast.region.overlaps(hints)]


# -- path and lesson ----------------------------------------------------------------------


async def test_the_tree_cursor_stays_after_escape(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        await until(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data)
        assert tree.cursor_node is not None
        assert tree.cursor_node.data == ("lesson", "fixture-basics")
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data == ("lab", "sum-lab")


async def test_l_opens_the_lessons_next_lab(make_big_app: MakeApp) -> None:
    with Store.open() as db:
        from perfcoach.store import NewAttempt

        db.record_attempt(NewAttempt("sum-lab", "pass", {}, 1.0, 7, "abc", 1))
    app = make_big_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LessonScreen("fixture-basics"))
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("l")
        await until(pilot, lambda: type(app.screen).__name__ == "ChoiceScreen")
        text = screen_text(app)
        assert "sum-lab-2" in text and "sum-lab " in text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "sum-lab-2"


# -- palette, theme, editor ---------------------------------------------------------------


async def test_the_palette_finds_labs_and_lessons_by_name(make_big_app: MakeApp) -> None:
    app = make_big_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"sum it again")
        await until(pilot, lambda: "Sum it again" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "sum-lab-2"


async def test_each_key_action_is_listed_once(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        titles = [command.title for command in commands]
        assert len(titles) == len(set(titles))
        assert not any(command.help.startswith(f"{command.title} (") for command in commands)
        helps = {command.title: command.help for command in commands}
        assert helps["Continue"] == (
            "Go to the first unfinished item of the path: an unread lesson or a lab not passed."
            " (key: c)"
        )


async def test_the_theme_is_remembered(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        chosen = app.theme
    assert (tmp_path / "settings.json").is_file()
    again = make_app()
    async with again.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert again.theme == chosen


async def test_edit_falls_back_to_an_editor_on_path(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    vi = bin_dir / "vi"
    vi.write_text(f"#!{sys.executable}\n")
    vi.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("e")
        await pilot.pause()
        messages = " ".join(n.message for n in app._notifications)
        assert "no editor found" not in messages
        assert "cannot suspend" in messages  # vi was found; a headless test cannot run it
    assert work_file().is_file()  # asking to edit starts the lab


async def test_edit_with_no_editor_at_all_explains(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LabScreen("sum-lab"))
        await until(pilot, lambda: isinstance(app.screen, LabScreen))
        await pilot.press("e")
        await pilot.pause()
        messages = " ".join(n.message for n in app._notifications)
        assert "no editor found" in messages and "nano" in messages


# -- efforts ------------------------------------------------------------------------------


@pytest.fixture
def effort_with_evidence() -> None:
    """An effort whose baseline ticked two pre items with evidence, and one item you ticked."""
    pack = load_pack(FIXTURE_PACK)
    with Store.open() as db:
        create_effort(db, "checkout-p95", "wall < 5s")
        record_baseline(db, pack, "checkout-p95", [sys.executable, "-c", "pass"], 2, 60.0)
        set_tick(db, pack, "pre", "critical-paths", "checkout-p95", True,
                 "the checkout request and the nightly invoice job, both paid for")  # fmt: skip


def ticked() -> set[tuple[str, str]]:
    with Store.open() as db:
        ticks = Efforts(db).ticks("checkout-p95")
    return {key for key, tick in ticks.items() if tick.ticked}


async def test_space_ticks_only_the_highlighted_row_of_the_focused_table(
    make_app: MakeApp, effort_with_evidence: None
) -> None:
    before = ticked()
    assert ("pre", "baseline-metrics") in before
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EffortsScreen))
        await pilot.pause()
        assert app.focused is not app.screen.query_one("#effort-items")
        await pilot.press("space")  # the table is not focused: nothing is toggled
        await pilot.pause()
        assert ticked() == before
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#effort-items", DataTable)
        await pilot.press("down", "down", "space")
        await pilot.pause()
    after = ticked() ^ before
    assert ("pre", "baseline-metrics") not in after
    assert ("pre", "critical-paths") in after


async def test_efforts_show_whole_items_evidence_and_baseline_figures(
    make_app: MakeApp, effort_with_evidence: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EffortsScreen))
        await pilot.pause()
        summary = flat(region_text(app, "#effort-summary"))
        assert "baseline (2 runs)" in summary
        assert "wall time" in summary and "CPU time" in summary and "peak RSS" in summary
        table = app.screen.query_one("#effort-items", DataTable)
        assert table.max_scroll_x == 0  # nothing hides to the right
        await pilot.press("tab", "down", "down")  # critical-paths, scrolled into view

        def column(index: int) -> str:
            region = table.content_region
            strips = app.screen._compositor.render_strips()[region.y : region.bottom]
            widths = [column.get_render_width(table) for column in table.ordered_columns]
            left, right = region.x + sum(widths[:index]), region.x + sum(widths[: index + 1])
            return squeezed("".join(strip.crop(left, right).text for strip in strips))

        note = "the checkout request and the nightly invoice job, both paid for"
        await until(pilot, lambda: squeezed(note) in column(2))
        whole = "Set the performance target as an SLO (e.g. p95 < 200 ms at 500 req/s)"
        assert squeezed(whole) in column(1)


async def test_the_compare_form_buttons_show_at_80x24(
    make_app: MakeApp, effort_with_evidence: None
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EffortsScreen))
        await pilot.press("m")
        await until(pilot, lambda: type(app.screen).__name__ == "FormScreen")
        await pilot.pause()
        text = region_text(app, ".dialog")
        assert "Measure" in text and "Cancel" in text
        assert "old command to interleave with (empty: the baseline)" in flat(text)


# -- writes from elsewhere ------------------------------------------------------------------


def note_of(item_id: str) -> str:
    with Store.open() as db:
        tick = Efforts(db).ticks("checkout-p95").get(("pre", item_id))
    return tick.note if tick is not None else ""


def note_from_the_cli(item_id: str, note: str) -> None:
    """What `perfcoach checklist tick pre ITEM --effort checkout-p95 --note …` writes."""
    with Store.open() as db:
        set_tick(db, load_pack(FIXTURE_PACK), "pre", item_id, "checkout-p95", True, note)


async def test_a_note_written_from_the_cli_shows_up(
    make_app: MakeApp, effort_with_evidence: None
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EffortsScreen))
        await pilot.pause()
        note_from_the_cli("critical-paths", "search too")  # short: a long note wraps
        await until(pilot, lambda: "you: search too" in screen_text(app))


async def test_saving_over_a_note_changed_elsewhere_asks_first(
    make_app: MakeApp, effort_with_evidence: None
) -> None:
    """The TUI's note used to replace the CLI's without a word."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EffortsScreen))
        await pilot.press("tab", "down", "down", "o")
        await until(pilot, lambda: type(app.screen).__name__ == "FormScreen")
        note_from_the_cli("critical-paths", "meanwhile")
        await pilot.press("end", *"!", "enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "It now reads: 'meanwhile'" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, EffortsScreen))
        assert note_of("critical-paths") == "meanwhile"
