"""Path and Progress screens: navigation, filter, continue, and the numbers they show."""

from __future__ import annotations

from textual.widgets import Label, Tree

from perfcoach.tui.screens.lab import LabScreen
from perfcoach.tui.screens.lesson import LessonScreen
from perfcoach.tui.screens.path import PathScreen
from perfcoach.tui.screens.progress import ProgressScreen
from tests.tui.conftest import MakeApp, seed_history


def tree_lines(screen: PathScreen) -> list[str]:
    tree = screen.query_one(Tree)
    lines = []

    def walk(node: object) -> None:
        for child in node.children:  # type: ignore[attr-defined]
            lines.append(str(child.label.plain))
            walk(child)

    walk(tree.root)
    return lines


async def test_path_lists_levels_modules_and_items(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PathScreen)
        lines = tree_lines(screen)
        assert lines[0].startswith("1 Fundamentals") and lines[0].endswith("0/2")
        assert any("lesson  Fixture basics" in line for line in lines)
        assert any("lab     sum-lab" in line and "not started" in line for line in lines)
        assert "2 Intermediate  — labs coming soon" in lines
        assert "Fixture basics" in str(screen.query_one("#next", Label).render())


async def test_continue_opens_the_lesson_then_the_lab(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("r", "escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        assert app.screen.lab_id == "sum-lab"


async def test_continue_from_progress_opens_the_next_item_above_the_path(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.store.mark_lesson_read("fixture-basics")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen) and app.screen.lab_id == "sum-lab"
        assert [type(s).__name__ for s in app.screen_stack] == ["PathScreen", "LabScreen"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)


async def test_filter_cycles_all_todo_done(make_app: MakeApp) -> None:
    seed_history()
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PathScreen)
        assert any("sum-lab" in line for line in tree_lines(screen))
        await pilot.press("f")  # todo: everything is done, nothing left
        assert not any("sum-lab" in line for line in tree_lines(screen))
        await pilot.press("f")  # done
        assert any("✔ lab     sum-lab" in line for line in tree_lines(screen))
        await pilot.press("f")
        assert screen.filter == "all"


async def test_enter_on_a_lab_opens_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        tree.focus()
        lab_line = next(i for i, line in enumerate(tree_lines(app.screen)) if "sum-lab" in line)
        tree.cursor_line = lab_line
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)


async def test_progress_screen_shows_totals_streak_and_quiz(make_app: MakeApp) -> None:
    seed_history()
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        headline = str(app.screen.query_one("#headline", Label).render())
        assert "labs passed 1/1" in headline and "attempts 2" in headline
        assert "streak 2 days" in headline
        quizzes = app.screen.query_one("#quizzes")
        assert quizzes.get_row_at(0) == ["Fixture basics", "1/3"]  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert isinstance(app.screen, PathScreen)


async def test_every_binding_is_a_palette_command(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Continue", "Filter", "Progress", "Light/dark"} <= titles


async def test_help_and_theme_toggle(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
