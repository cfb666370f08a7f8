"""The path is the first screen: it stays light (its widget count is its start time), its
level cards draw the finished share, and its one-widget footer still works with a mouse."""

from __future__ import annotations

from textual.widgets import Tree

from perfcoach.catalog.lab import LEVELS
from perfcoach.tui.screens.path import PathScreen
from perfcoach.tui.widgets.footer import KeysFooter
from perfcoach.tui.widgets.level_card import LevelCard
from tests.tui.conftest import MakeApp, seed_history
from tests.tui.test_readable import SMALL, screen_text, until

# Header (4), the level row (6), two labels, the tree, the footer and the screen itself.
FIRST_SCREEN_WIDGETS = 15


async def test_the_first_screen_has_one_widget_per_card_and_one_footer(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        widgets = list(app.screen.walk_children(with_self=True))
        assert len(widgets) == FIRST_SCREEN_WIDGETS, [type(w).__name__ for w in widgets]
        assert len(app.screen.query(LevelCard)) == len(LEVELS)


async def test_level_cards_show_each_levels_share(make_app: MakeApp) -> None:
    seed_history()  # the fixture's level 1: its lesson read and its lab passed
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: "100%" in screen_text(app))
        first = str(app.screen.query_one("#level-1", LevelCard).render())
        second = str(app.screen.query_one("#level-2", LevelCard).render())
        # Five cards on 80 columns: a long name is cut to its card, never wrapped.
        assert first.startswith("1 Fundamen…\n") and first.endswith(" 100%")
        assert second.startswith("2 Intermedi…\n") and second.endswith("   0%")
        assert str(app.screen.query_one("#level-5", LevelCard).render()).startswith("5 Capstones\n")


async def test_level_cards_on_a_wide_terminal_show_whole_names(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        await pilot.pause()
        names = [str(card.render()).split("\n")[0] for card in app.screen.query(LevelCard)]
    assert names == [f"{level} {name}" for level, name in LEVELS.items()]


async def test_clicking_a_key_in_the_footer_presses_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        footer = app.screen.query_one(KeysFooter)
        line = str(footer.render())
        assert line.startswith("c Continue f Filter g Progress")
        assert "^p" not in line  # at 80 columns the palette's key gives way to the screen's
        await pilot.click(KeysFooter, offset=(line.index("Filter"), 0))
        await until(pilot, lambda: "filter: todo" in str(app.screen.query_one(Tree).root.label))


async def test_the_palette_key_shows_where_there_is_room(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PathScreen))
        line = str(app.screen.query_one(KeysFooter).render())
        assert line.rstrip().endswith("^p palette") and len(line) <= 120
