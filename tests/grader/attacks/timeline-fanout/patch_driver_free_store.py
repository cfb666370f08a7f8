"""Class 1 — replace the driver's Store with one that keeps every key in this process.

Tries: the harness loaded the lab's driver before this module; find it in sys.modules
(the module with a `Store` class and a `timeline` function) and rebind its Store to a
class that keeps sorted sets in a module-level dict, so every command is free and never
counted. The timeline code itself is pure fan-out on write: one insert per follower is
free too, and the follower sets are read once through the real store and kept.
Must not pass because: the counters and the graph live in the grader's store; a store
faked inside one instance is that instance's memory, and the balancer sends half the
requests to the other instance, which never saw those posts.
Expect: wrong result
"""

from __future__ import annotations

import sys
from typing import Any

CAP = 20
_SETS: dict[str, dict[int, int]] = {}
_DELETED: set[int] = set()


class _FreeStore:
    def __init__(self, remote: Any) -> None:
        self.remote = remote

    def smembers(self, key: str) -> list[Any]:
        return list(self.remote.call("smembers", key))

    def fan_out(self, followers: list[int], post_id: int, at: int) -> None:
        for follower in followers:
            _SETS.setdefault(f"timeline:{follower}", {})[post_id] = at

    def page(self, user: int) -> list[int]:
        entries = _SETS.get(f"timeline:{user}", {})
        newest = sorted(entries.items(), key=lambda e: (e[1], e[0]), reverse=True)[:CAP]
        return [p for p, _ in newest if p not in _DELETED]


for _module in list(sys.modules.values()):
    if hasattr(_module, "Store") and hasattr(_module, "timeline"):
        _module.Store = _FreeStore


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    store.fan_out(store.smembers(f"followers:{author}"), post_id, at)


def delete(store: Any, author: int, post_id: int) -> None:
    _DELETED.add(post_id)


def timeline(store: Any, user: int) -> list[int]:
    return store.page(user)
