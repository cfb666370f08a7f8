"""Class 5 — remember the latencies of an earlier run and replay the best servers.

Tries: keep, in a file in the working folder and in a builtins attribute, the mean latency
of every server from what this process saw, and in a later run send each request to the
server that was fastest then (a remembered answer instead of reading the view); round
robin until something is remembered.
Must not pass because: each check is one run of a fresh process in a fresh folder, with
new speeds and windows from a new seed; there is no earlier run to remember, and a
remembered ranking would be a static weighting that the shift of slow servers breaks.
Expect: not pass
"""

from __future__ import annotations

import builtins
import contextlib
import itertools
import json
from pathlib import Path
from typing import Any

_turn = itertools.count()
_NOTE = Path("lb-memory.json")


def _remembered() -> list[float] | None:
    found = getattr(builtins, "_lb_memory", None)
    if found is None:
        with contextlib.suppress(Exception):
            found = json.loads(_NOTE.read_text())
    return found


def pick(view: Any) -> int:
    memory = _remembered()
    if view.now > 5_000 and all(view.latencies):
        means = [sum(r) / len(r) for r in view.latencies]
        builtins._lb_memory = means  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            _NOTE.write_text(json.dumps(means))
    if memory:
        return min(range(view.servers), key=memory.__getitem__)
    return next(_turn) % view.servers
