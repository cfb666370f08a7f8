"""Class 5 — remember the loads of an earlier run and scale ahead of them this time.

Tries: note every interval's load in a file in the working folder and in a builtins
attribute; in a later run, size the fleet for the remembered load two intervals ahead
(no headroom needed: it is the future). With nothing remembered, size for exactly the
last load.
Must not pass because: each check is one run of a fresh process in a fresh folder, with
a new week from a new seed: there is no earlier run to remember within a check, so this
is a reactive fleet with no headroom, which the boot delay leaves behind every rise. A
week remembered from another seed would put the spikes in the wrong places anyway.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import builtins
import contextlib
import json
import math
from pathlib import Path
from typing import Any

_NOTE = Path("rightsizing-memory.json")


def _remembered() -> list[float] | None:
    found = getattr(builtins, "_rightsizing_memory", None)
    if found is None:
        with contextlib.suppress(Exception):
            found = json.loads(_NOTE.read_text())
    return found


_memory = _remembered()


def policy(observation: Any) -> int:
    if observation.t == 2015:
        loads = list(observation.history)
        builtins._rightsizing_memory = loads  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            _NOTE.write_text(json.dumps(loads))
    load = observation.load
    if _memory is not None and observation.t + 2 < len(_memory):
        load = _memory[observation.t + 2]
    return max(2, math.ceil(load / observation.per_instance_rps))
