"""Class 2 — print a passing verdict and end the process before the grader asks anything.

Tries: writes what a PASS looks like to stdout and calls os._exit(0) from inside
slow_requests, so nothing is ever counted.
Must not pass because: a verdict comes only from the grader, over a pipe this process
does not have; a subject that exits before it replies is an error.
Expect: not pass
"""

from __future__ import annotations

import os
from typing import Any


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    print("warmup: PASS  settings reads per report 1  ≤ 1  PASS", flush=True)
    os._exit(0)
