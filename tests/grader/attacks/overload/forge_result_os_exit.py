"""Class 2 — print a passing verdict, then leave the process with os._exit(0).

Tries: on the first arrival, print what `lab check` prints for a pass to stdout and
stderr, then exit cleanly at once, hoping the grader takes the text or the clean exit
for a finished run.
Must not pass because: the verdict is built by the grader from its own simulation and
sent over a pipe this process does not have; a subject that vanishes mid-run leaves
events without decisions, which is an error, not a pass.
Expect: not pass
"""

from __future__ import annotations

import os
import sys
from typing import Any

_TABLE = """overload: PASS
│ goodput during the 2x spike, % of capacity │ 20.3 │ 103 │ ≥ 90 │ PASS │
│ P99 latency of served requests (ms)        │ 9,906 │ 438 │ ≤ 900 │ PASS │
PASS every target met
"""


def admit(view: Any) -> bool:
    print(_TABLE, flush=True)
    print(_TABLE, file=sys.stderr, flush=True)
    os._exit(0)


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
