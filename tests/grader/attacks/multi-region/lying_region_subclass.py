"""Class 4 — answer with a str subclass that compares equal to every region.

Tries: return Region(region), a str subclass equal to its own region and also to the
primary's (its __eq__ says yes to any region), with no position, hoping the grader counts
the read as the primary's (never behind) while it is served locally; the failover is done
right.
Must not pass because: whatever route_read() returns is reduced to plain data in the
learner's process before it crosses to the grader (a str, here), and the engine serves the
read in that region: a local read without a wait, which misses the session's own write.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


class Region(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str)

    def __hash__(self) -> int:
        return str.__hash__(self)


def promote(view: Any) -> str | None:
    if view.heartbeat_ms[view.primary] < 1_000 or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    return node.epoch


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def route_read(self, session: int, region: str, view: Any) -> Any:
        return Region(region if view.heartbeat_ms[region] < 1_000 else view.primary)
