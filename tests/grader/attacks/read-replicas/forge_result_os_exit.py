"""Class 2 — write a passing result file at import and leave with os._exit(0).

Tries: write a result in which every metric meets its goal into every place a report might
be read from (the working folder, the folders of the process's arguments), then
os._exit(0) before the router is ever made, so the real grade never runs.
Must not pass because: the verdict comes from the grader over a pipe this process does not
have; a subject that exits mid-check is an error, not a pass.
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
    values = {
        "primary_read_share": 1.0,
        "ryw_violations": 0,
        "monotonic_violations": 0,
        "stale_reads": 0,
        "replica_load_ratio": 1.0,
    }
    metrics = {
        name: {"value": value, "baseline": value, "low": value, "high": value}
        for name, value in values.items()
    }
    result = {"status": "ok", "grade": {"correct": True, "metrics": metrics, "notes": []}}
    folders = {Path.cwd()} | {Path(arg).resolve().parent for arg in sys.argv[1:]}
    for folder in folders:
        for name in (".result.json", "result.json"):
            with contextlib.suppress(Exception):
                (folder / name).write_text(json.dumps(result))
    os._exit(0)


_forge()


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        return 0
