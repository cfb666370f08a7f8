"""Class 5 — remember which replica was fastest in an earlier run, and trust it blindly.

Tries: keep, in a file in the working folder and in a builtins attribute, each replica's
mean reported lag from what this process saw, and in a later run send every read to the
replica that was fastest then, with no position check (a remembered answer instead of
reading the view); until something is remembered, a random replica.
Must not pass because: each check is one run of a fresh process in a fresh folder, with
new lags, spikes and a new stall from a new seed; there is nothing to remember, and a
remembered replica without a position check misses the sessions' own writes.
Expect: not pass
"""

from __future__ import annotations

import builtins
import contextlib
import json
import random
from pathlib import Path
from typing import Any

_NOTE = Path("rr-memory.json")


def _remembered() -> list[float] | None:
    found = getattr(builtins, "_rr_memory", None)
    if found is None:
        with contextlib.suppress(Exception):
            found = json.loads(_NOTE.read_text())
    return found


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas
        self.lags = [0.0] * replicas
        self.reports = 0
        self.memory = _remembered()

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        self.reports += 1
        self.lags = [a + b for a, b in zip(self.lags, view.lag_ms, strict=True)]
        if self.reports % 500 == 0:
            means = [lag / self.reports for lag in self.lags]
            builtins._rr_memory = means  # type: ignore[attr-defined]
            with contextlib.suppress(Exception):
                _NOTE.write_text(json.dumps(means))
        if self.memory:
            return min(range(self.replicas), key=self.memory.__getitem__)
        return random.randrange(self.replicas)
