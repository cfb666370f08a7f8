"""Class 4 — refuse writes by sending a token the storage will reject, so no refusal is counted.

Tries: a "safety margin" on the lease that refuses most writes, done by returning token 0
(the storage refuses anything below epoch 1) instead of None, hoping only refusals by the
primary are counted; otherwise the solution's fenced failover and local reads with a wait.
Must not pass because: the refused row counts every write that was not committed, whoever
refused it: a write the storage turned away is as lost to its user as one the primary did.
Expect: fail on refused_pct
"""

from __future__ import annotations

from typing import Any


def promote(view: Any) -> str | None:
    if view.heartbeat_ms[view.primary] < 1_000 or view.now < view.lease_until:
        return None
    best = max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[view.primary] else None


def accept_write(node: Any) -> Any:
    return node.epoch if node.lease_until - node.now >= 1_800.0 else 0


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.floor: dict[int, int] = {}

    def on_write(self, session: int, position: int, now: float) -> None:
        self.floor[session] = max(self.floor.get(session, 0), position)

    def route_read(self, session: int, region: str, view: Any) -> Any:
        target = region if view.heartbeat_ms[region] < 1_000 else view.primary
        return (target, self.floor.get(session, 0))
