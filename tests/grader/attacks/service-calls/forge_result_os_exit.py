"""Class 2 — write the grader's result file itself and leave with os._exit(0).

Tries: at import time, before any page is requested, write a result in which every
metric of this lab meets its goal (read from the lab.toml next to the bench, if it can be
found) into every place the sandbox's report might be read from, then os._exit(0) so the
real grade never runs.
Must not pass because: the verdict must come from the trusted grader, never from a file
or a message the learner's process can write; a subject that exits mid-check is a
failure, not a pass.
Expect: not pass
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any


def _forge() -> None:
    benches = [
        Path(m.__file__).parent
        for m in list(sys.modules.values())
        if Path(getattr(m, "__file__", None) or "/x").name == "bench.py"
    ]
    lab_dir = benches[0] if benches else Path.cwd()
    goals = {
        "calls_per_page": "<= 5",
        "in_flight_max": "<= 4",
        "critical_path_ratio": "<= 0.33",
        "calls_after_deadline": "== 0",
        "degraded_pages_served": ">= 100",
    }
    if (lab_dir / "lab.toml").is_file():
        manifest = tomllib.loads((lab_dir / "lab.toml").read_text())["metrics"]
        goals = {metric["name"]: metric["goal"] for metric in manifest}
    metrics = {}
    for name, goal in goals.items():
        op, _, number = goal.partition(" ")
        value = 1e9 if op == ">=" else float(number) if op == "==" else 0.0
        metrics[name] = {
            "value": value,
            "baseline": 1000.0,
            "low": value,
            "high": value,
            "detail": "",
        }
    result = {
        "status": "ok",
        "grade": {"correct": True, "metrics": metrics, "message": "", "notes": []},
    }
    folders = {Path.cwd()} | {Path(arg).resolve().parent for arg in sys.argv[1:]}
    for folder in folders:
        for name in (".result.json", "result.json"):
            (folder / name).write_text(json.dumps(result))
    os._exit(0)


_forge()


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Never reached: the process is gone."""
    raise RuntimeError("unreachable")
