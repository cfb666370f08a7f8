"""Class 2 — print a passing verdict table, then sys.exit(0) from inside pick().

Tries: on the first request, print what `lab check` prints for a pass (every row PASS,
"PASS every target met") to stdout and stderr, then leave the process with sys.exit(0)
and, should that be caught, os._exit(0), hoping the grader reads the text or takes a clean
exit as a finished run.
Must not pass because: the verdict is built by the grader from its own simulation and
sent over a pipe this process does not have; a subject that exits in the middle of the
run leaves ticks without decisions, which is an error, not a pass.
Expect: not pass
"""

from __future__ import annotations

import os
import sys
from typing import Any

_TABLE = """load-balancing: PASS
│ P99 latency, yours / round robin's     │        1 │  0.12 │ ≤ 0.5  │ PASS    │
│ longest queue at one server            │       59 │     5 │ ≤ 30   │ PASS    │
│ requests sent to a down server after   │       41 │     0 │ = 0    │ PASS    │
PASS every target met
"""


def pick(view: Any) -> int:
    print(_TABLE, flush=True)
    print(_TABLE, file=sys.stderr, flush=True)
    try:
        sys.exit(0)
    finally:
        os._exit(0)
