"""Command palette: every lesson and lab of the pack, and every playground preset, found by
title or id."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from perfcoach.sim.presets import PRESETS

if TYPE_CHECKING:
    from perfcoach.tui.app import PerfcoachApp


class PathCommands(Provider):
    """Open any lesson, lab or playground preset by name, without walking the tree to it."""

    def _items(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(text to match, help, open it) for each lesson, then each lab, in path order, then
        each preset of the playground."""
        app = cast("PerfcoachApp", self.app)
        pack = app.pack
        items: list[tuple[str, str, Callable[[], None]]] = []
        for lesson in sorted(pack.lessons.values(), key=lambda item: (item.level, item.order)):
            items.append(
                (
                    f"Lesson: {lesson.title}",
                    f"level {lesson.level} · {lesson.id}",
                    partial(self._open, "lesson", lesson.id),
                )
            )
        for lab in pack.ordered_labs():
            items.append(
                (
                    f"Lab: {lab.title} ({lab.id})",
                    f"level {lab.level} · module {lab.module}",
                    partial(self._open, "lab", lab.id),
                )
            )
        for preset in PRESETS.values():
            items.append(
                (
                    f"Playground: {preset.simulation}, {preset.title}",
                    f"preset {preset.name}",
                    partial(app.action_playground, preset.name),
                )
            )
        return items

    def _open(self, kind: str, item_id: str) -> None:
        if kind == "lesson":
            from perfcoach.tui.screens.lesson import LessonScreen

            self.app.push_screen(LessonScreen(item_id))
        else:
            from perfcoach.tui.screens.lab import LabScreen

            self.app.push_screen(LabScreen(item_id))

    async def discover(self) -> Hits:
        for text, help_text, command in self._items():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
