"""Class 2 — write a passing result file and leave with os._exit(0) before any pick.

Tries: at import, write a result in which all three metrics meet their goals into every
place a report might be read from, then os._exit(0) so the real grade never runs.
Must not pass because: the verdict comes from the grader over a pipe this process does
not have; a subject that exits mid-check is an error, not a pass.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any


def _forge() -> None:
    metrics = {
        name: {"value": value, "baseline": 1.0, "low": value, "high": value}
        for name, value in (("p99_ratio", 0.1), ("max_queue", 2), ("sent_to_down", 0))
    }
    result = {"status": "ok", "grade": {"correct": True, "metrics": metrics, "notes": []}}
    folders = {Path.cwd()} | {Path(arg).resolve().parent for arg in sys.argv[1:]}
    for folder in folders:
        for name in (".result.json", "result.json"):
            with contextlib.suppress(Exception):
                (folder / name).write_text(json.dumps(result))
    os._exit(0)


_forge()


def pick(view: Any) -> int:
    return 0
