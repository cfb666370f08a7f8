"""Class 3 — search the process's objects for the demands or the traffic of the run.

Tries: walk gc.get_objects() for anything holding "demands", "arrivals" or a spike
window (a scenario object, a list of the grader's numbers), and admit by the true
remaining work if found; serve everything in order otherwise.
Must not pass because: nothing of the kind is in this process (the demands and the
traffic stay in the grader, which sends only the events a server observes), and walking
the object graph is refused during a check; what remains is the starter.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import gc
from typing import Any

_found: dict[str, Any] = {}


def _search() -> None:
    with contextlib.suppress(Exception):
        for obj in gc.get_objects():
            for name in ("demands", "arrivals", "spike_start"):
                value = getattr(obj, name, None)
                if value is not None:
                    _found[name] = value


_search()


def admit(view: Any) -> bool:
    spike = _found.get("spike_start")
    if spike is not None and view.now >= spike:
        return len(view.queue) < 16
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
