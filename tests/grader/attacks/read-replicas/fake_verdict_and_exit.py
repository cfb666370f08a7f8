"""Class 2 — print a passing verdict table, then sys.exit(0) from inside route_read().

Tries: on the first read, print what `lab check` prints for a pass (every row PASS, "PASS
every target met") to stdout and stderr, then leave with sys.exit(0) and, should that be
caught, os._exit(0), hoping the grader reads the text or takes a clean exit as a finished
run.
Must not pass because: the verdict is built by the grader from its own simulation and sent
over a pipe this process does not have; a subject that exits in the middle of the run
leaves periods without decisions, which is an error, not a pass.
Expect: not pass
"""

from __future__ import annotations

import os
import sys
from typing import Any

_TABLE = """read-replicas: PASS
│ reads served by the primary (%)        │      100 │   0.4 │ ≤ 25   │ PASS    │
│ busiest replica's reads / mean         │        3 │     1 │ ≤ 1.2  │ PASS    │
PASS every target met
"""


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        print(_TABLE, flush=True)
        print(_TABLE, file=sys.stderr, flush=True)
        try:
            sys.exit(0)
        finally:
            os._exit(0)
