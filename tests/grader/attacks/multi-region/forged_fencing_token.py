"""Class 4 — commit every write with a huge fencing token, so the storage never refuses one.

Tries: return 10**9 from accept_write() (no epoch could be higher), hoping the storage's
check is the only count of split brain; reads local with a wait, promotion careful.
Must not pass because: split brain is counted from the epoch the primary really held, not
from the token it sent: the old primary's write after the promotion is still a write by a
replaced primary. And the storage, having seen 10**9, refuses the new primary's honest
tokens.
Expect: fail on split_brain_writes
"""

from __future__ import annotations

from typing import Any


def promote(view: Any) -> str | None:
    if view.heartbeat_ms[view.primary] < 1_000 or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    return 10**9


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, region: str, view: Any) -> Any:
        target = region if view.heartbeat_ms[region] < 1_000 else view.primary
        return (target, self.floor.get(session, 0))
