"""Class 2 — print a passing verdict table, then sys.exit(0) from inside promote().

Tries: on the first tick, print what `lab check` prints for a pass (every row PASS, "PASS
every target met") to stdout and stderr, then leave with sys.exit(0) and, should that be
caught, os._exit(0), hoping the grader reads the text or takes a clean exit as a finished
run.
Must not pass because: the verdict is built by the grader from its own simulation and sent
over a pipe this process does not have; a subject that exits in the middle of the run
leaves ticks without answers, which is an error, not a pass.
Expect: not pass
"""

from __future__ import annotations

import os
import sys
from typing import Any

_TABLE = """multi-region: PASS
│ P95 page time, slowest region (ms)     │      497 │   170 │ ≤ 250  │ PASS    │
│ writes committed by a replaced primary │       28 │     0 │ == 0   │ PASS    │
PASS every target met
"""


def promote(view: Any) -> str | None:
    print(_TABLE, flush=True)
    print(_TABLE, file=sys.stderr, flush=True)
    try:
        sys.exit(0)
    finally:
        os._exit(0)


def accept_write(node: Any) -> Any:
    return True


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def route_read(self, session: int, region: str, view: Any) -> Any:
        return view.primary
