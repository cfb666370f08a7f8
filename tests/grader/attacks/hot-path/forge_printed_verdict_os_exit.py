"""Class 2 — print a passing verdict table and leave with os._exit(0) before any grading.

Tries: the learner's output is streamed to the screen during a check. At import time,
print what perfcoach prints for a pass, flush, and end the process with exit code 0 and
no result, hoping the printout and the clean exit code are taken for a pass.
Must not pass because: a process that ends without the grader's judgement is an error,
whatever it printed and whatever its exit code.
Expect: not pass
"""

from __future__ import annotations

import os
import sys

print("hot-path: pass — every target met")
print("  allocated per order line      88 bytes   pass")
print("  time scaling exponent         0.41       pass")
print("  speedup                       104×       pass")
sys.stdout.flush()
os._exit(0)


class Matcher:
    """Never built."""

    def __init__(self, bins: list, warehouse_zones: dict, roads: list) -> None:
        raise NotImplementedError

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Never called."""
        raise NotImplementedError
