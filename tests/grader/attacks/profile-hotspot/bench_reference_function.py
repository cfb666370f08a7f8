"""Class 3 — call the bench's own reference report through sys.modules.

Tries: the grader imports the lab's bench.py into the same interpreter before the
learner's module, and that bench has expected_report(lines), written "independently of
the starter and the solution" and linear. build_report just forwards to it.
Must not pass because: the reference must live where the learner's code cannot call it;
a learner who forwards to it has learned nothing and fixed nothing.
Expect: not pass
"""

from __future__ import annotations

import sys
from pathlib import Path


def _reference():
    for module in list(sys.modules.values()):
        path = Path(getattr(module, "__file__", None) or "/x")
        if path.name == "bench.py" and hasattr(module, "expected_report"):
            return module.expected_report
    raise LookupError("no bench in this process")


def build_report(lines: list[str]) -> str:
    """The daily report for these log lines, as text."""
    return _reference()(lines)
