"""Playground: the simulations of `perfcoach sim` on a screen, redrawn as parameters change,
bad input refused on one line, and lessons opening the preset that illustrates them.

The numbers are the engines' for the presets' seeds (deterministic); the lessons quote
some of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from perfcoach.catalog import load_pack
from perfcoach.paths import builtin_pack_root
from perfcoach.tui.app import PerfcoachApp
from perfcoach.tui.screens.lesson import LessonScreen
from perfcoach.tui.screens.playground import PlaygroundScreen
from perfcoach.tui.widgets.plot import PlotView
from tests.tui.conftest import TODAY, MakeApp
from tests.tui.test_readable import SMALL, screen_text


async def until(pilot: Pilot[Any], ready: Callable[[], bool]) -> None:
    """Poll for a state a simulation in a worker thread reaches on its own time."""
    for _ in range(500):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("the playground never got there")


def row(screen: PlaygroundScreen, first: str) -> list[str]:
    """The table's row whose first cell reads `first`, as shown (empty if none)."""
    table = screen.query_one("#sim-table", DataTable)
    rows = [[str(v) for v in table.get_row_at(i)] for i in range(table.row_count)]
    return next((r for r in rows if r[0] == first), [])


def heading(screen: PlaygroundScreen) -> list[str]:
    return [str(c.label) for c in screen.query_one("#sim-table", DataTable).columns.values()]


def message(screen: PlaygroundScreen) -> str:
    return str(screen.query_one("#sim-message", Static).render())


async def type_into(pilot: Pilot[Any], field: Input, text: str) -> None:
    """Replace what an input holds, as a learner would: focus it, clear it, type."""
    field.focus()
    await pilot.pause()
    field.clear()
    await pilot.press(*text)


async def opened(pilot: Pilot[Any], preset: str | None = None) -> PlaygroundScreen:
    """The playground pushed over the app (at a preset, or the default one), as it shows."""
    pilot.app.push_screen(PlaygroundScreen() if preset is None else PlaygroundScreen(preset))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlaygroundScreen)
    return screen


async def test_the_playground_opens_from_the_path_and_the_palette_not_a_bare_lesson(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        # size, LRU, Che, LFU, top keys: the caching lesson's 1,000 keys at s = 1.0
        cache = ["100", "57.6%", "57.7%", "68.6%", "69.3%"]
        await until(pilot, lambda: row(screen, "100")[:5] == cache)
        assert screen.query_one("#cache-preset", Select).value == "cache-zipf"
        assert "hit rate against cache size" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, PlaygroundScreen)

        await pilot.press("ctrl+p", *"1 vnode per shard")
        await until(pilot, lambda: "Playground: shard, 1 vnode per shard" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PlaygroundScreen))
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        assert screen.query_one("#shard-vnodes", Input).value == "1"
        # 2 → 3 shards: mod-N, a ring of one point per shard, jump, rendezvous
        shard = ["3", "66.0%", "14.1%", "32.6%", "32.4%"]
        await until(pilot, lambda: row(screen, "3")[:5] == shard)
        await pilot.press("escape")

        app.push_screen(LessonScreen("fixture-basics"))  # links to no preset
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert " p Playground" not in screen_text(app)


async def test_a_parameter_changed_redraws_the_table_and_the_plot(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await opened(pilot, "cache-zipf")
        await until(pilot, lambda: row(screen, "100")[1:2] == ["57.6%"])
        before = screen.query_one(PlotView).plot
        await type_into(pilot, screen.query_one("#cache-skew", Input), "0.5")
        # flatter traffic: the same cache catches far less, and these are cache-flat's values
        await until(pilot, lambda: row(screen, "100")[1:2] == ["16.8%"])
        assert screen.query_one("#cache-preset", Select).value == "cache-flat"
        after = screen.query_one(PlotView).plot
        assert before is not None and after is not None
        assert after.lines[0].ys != before.lines[0].ys
        await type_into(pilot, screen.query_one("#cache-skew", Input), "0.6")
        await until(pilot, lambda: row(screen, "100")[1:2] not in (["16.8%"], ["57.6%"]))
        assert screen.query_one("#cache-preset", Select).is_blank()  # custom values
        # the arrows work the input like a slider, 0.1 a step (not scrolling the pane, which
        # the notes make taller than the screen): back to the preset's 1.0
        await pilot.press("up", "up", "up", "up", "up", "down")
        assert screen.query_one("#cache-skew", Input).value == "1"
        await until(pilot, lambda: row(screen, "100")[1:2] == ["57.6%"])
        assert screen.query_one("#cache-preset", Select).value == "cache-zipf"


async def test_bad_input_is_one_line_and_the_last_result_stays(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await opened(pilot, "lb-two-slow")
        # utilisation, then P50 and P99 of round robin, least outstanding, two choices
        shown = ["70.0%", "16.3", "967", "14.4", "103", "18.5", "121"]
        await until(pilot, lambda: row(screen, "70.0%") == shown)
        servers = screen.query_one("#lb-servers", Input)
        await type_into(pilot, servers, "eight")
        await until(pilot, lambda: message(screen) == "servers must be a whole number, not 'eight'")
        assert servers.has_class("-invalid")
        await pilot.press("up")  # no number to move from: the input stays as typed
        assert servers.value == "eight"
        await type_into(pilot, servers, "1")
        await until(pilot, lambda: message(screen) == "servers must be from 2 to 32, not 1")
        await type_into(pilot, servers, "8")
        # a bound that depends on another parameter is the engine's: slow < servers
        await type_into(pilot, screen.query_one("#lb-slow", Input), "9")
        await until(pilot, lambda: message(screen) == "slow must be from 0 to 7, not 9")
        # ↓ moves the value a step even where the pane around it could scroll
        assert screen.query_one("#sim-controls").max_scroll_y > 0
        await pilot.press("down")
        await until(pilot, lambda: message(screen) == "slow must be from 0 to 7, not 8")
        assert not servers.has_class("-invalid")
        assert row(screen, "70.0%") == shown
        assert "Traceback" not in screen_text(app)


async def test_a_preset_picked_fills_every_input_and_ctrl_n_shows_the_next_table(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await opened(pilot)
        screen.query_one("#simulation", Select).value = "queue"
        await until(pilot, lambda: heading(screen)[:2] == ["util", "P50 ms"])
        screen.query_one("#queue-preset", Select).value = "queue-one"
        await pilot.pause()
        assert screen.query_one("#queue-servers", Input).value == "1"
        # one server at 95 %: P50, P50 (C), P99, P99 (C) in ms
        await until(pilot, lambda: row(screen, "95.0%") == ["95.0%", "143", "139", "566", "921"])
        await pilot.press("ctrl+n")
        assert heading(screen) == ["util", "waited", "Erlang C", "wait ms", "wait (C) ms"]


async def test_a_lesson_opens_the_playground_at_the_preset_it_links() -> None:
    app = PerfcoachApp(pack=load_pack(builtin_pack_root()), today=lambda: TODAY)
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(LessonScreen("database-sharding"))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceScreen"  # three presets: pick one
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        assert screen.query_one("#simulation", Select).value == "shard"
        assert screen.query_one("#shard-shards", Input).value == "10"
        # 10 → 11 shards: mod-N, ring, jump, rendezvous, 1/(N+1), N/(N+1), as the lesson says
        moved = ["11", "90.3%", "9.0%", "8.8%", "8.3%", "9.1%", "90.9%"]
        await until(pilot, lambda: row(screen, "11") == moved)


async def test_a_run_still_going_when_the_input_turns_bad_draws_nothing(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    """Typing over a value whose run has started (a pause on a loaded machine) must not let
    that run draw numbers for a value no longer on the screen, under the input's error."""
    import threading

    from perfcoach.tui.screens import playground

    held = threading.Event()
    real_run = playground.run

    def slow_run(simulation: str, values: tuple[float, ...]) -> Any:
        if values[0] == 500:  # the value typed on the way to the bad one
            held.wait(30)
        return real_run(simulation, values)

    monkeypatch.setattr(playground, "run", slow_run)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await opened(pilot, "cache-zipf")
        await until(pilot, lambda: row(screen, "100")[1:2] == ["57.6%"])
        first = screen.query_one(Input)
        await type_into(pilot, first, "500")
        await until(pilot, lambda: message(screen) == "simulating…")
        await pilot.press("x")
        await until(pilot, lambda: "not '500x'" in message(screen))
        held.set()
        await until(pilot, lambda: not any(w.is_running for w in app.workers))
        await pilot.pause()
        assert row(screen, "100")[1:2] == ["57.6%"]
        assert "not '500x'" in message(screen)
        await pilot.press("backspace")  # the value whose run was dropped: asked again
        await until(pilot, lambda: row(screen, "100")[1:2] not in ([], ["57.6%"]))
