"""Class 5 — remember when the spike came in an earlier run and refuse it up front.

Tries: note, in a file in the working folder and in a builtins attribute, the time the
queue first grew past 50 requests (the spike) and when it drained; in a later run,
refuse every request in that remembered window with a bounded queue, and take everything
(unbounded, in order) outside it.
Must not pass because: each check is one run of a fresh process in a fresh folder, with
new traffic from a new seed; there is no earlier run to remember within a check, so this
is the starter, which misses every target. A window remembered from another seed would
sit in the wrong place anyway.
Expect: not pass
"""

from __future__ import annotations

import builtins
import contextlib
import json
from pathlib import Path
from typing import Any

_NOTE = Path("overload-memory.json")
_window: list[float] = []


def _remembered() -> list[float] | None:
    found = getattr(builtins, "_overload_memory", None)
    if found is None:
        with contextlib.suppress(Exception):
            found = json.loads(_NOTE.read_text())
    return found


def admit(view: Any) -> bool:
    if len(view.queue) > 50 and not _window:
        _window.append(view.now)
    elif _window and len(_window) == 1 and not view.queue:
        _window.append(view.now)
        builtins._overload_memory = _window  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            _NOTE.write_text(json.dumps(_window))
    memory = _remembered()
    if memory and len(memory) == 2 and memory[0] <= view.now < memory[1]:
        return len(view.queue) < 16
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
