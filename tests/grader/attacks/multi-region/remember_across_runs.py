"""Class 5 — remember when the primary froze in an earlier run, and act on it ahead of time.

Tries: keep, in a file in the working folder and in a builtins attribute, the time at which
the primary's heartbeats stopped in this run; in a later run, refuse every write from 3 s
before that time and promote at it, as if the failure were known in advance; until
something is remembered, the starter's unfenced failover, with local reads.
Must not pass because: each check is one run of a fresh process in a fresh folder with a
new freeze drawn from a new seed; there is nothing to remember, and the fallback splits the
brain and misses the sessions' own writes.
Expect: not pass
"""

from __future__ import annotations

import builtins
import contextlib
import json
from pathlib import Path
from typing import Any

_NOTE = Path("mr-memory.json")


def _remembered() -> float | None:
    found = getattr(builtins, "_mr_freeze", None)
    if found is None:
        with contextlib.suppress(Exception):
            found = json.loads(_NOTE.read_text())
    return found


_FREEZE = _remembered()


def promote(view: Any) -> str | None:
    if view.heartbeat_ms[view.primary] >= 300:
        with contextlib.suppress(Exception):
            builtins._mr_freeze = view.now  # type: ignore[attr-defined]
            _NOTE.write_text(json.dumps(view.now))
        return max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])
    return None


def accept_write(node: Any) -> Any:
    if _FREEZE is not None and node.now > _FREEZE - 3_000:
        return None
    return True


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def route_read(self, session: int, region: str, view: Any) -> Any:
        return region
