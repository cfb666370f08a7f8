"""Class 4 — answer with something that is not a region: "eu-west-1", hoping it counts as one.

Tries: route every read to the string "eu-west-1" (a cloud's name for a region), hoping the
grader serves it somewhere harmless or skips it.
Must not pass because: route_read() must return one of view.regions, or a (region,
position) pair; the grader stops the check at the first answer that is neither, as a wrong
result.
Expect: wrong result
Says: route_read() must return a region name
"""

from __future__ import annotations

from typing import Any


def promote(view: Any) -> str | None:
    return None


def accept_write(node: Any) -> Any:
    return node.epoch


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def route_read(self, session: int, region: str, view: Any) -> Any:
        return "eu-west-1"
