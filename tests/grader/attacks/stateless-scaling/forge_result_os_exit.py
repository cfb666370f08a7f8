"""Class 2 — write the grader's result file itself and leave with os._exit(0).

Tries: at import time, before any request is served, write a result in which every
metric of this lab meets its goal (read from the lab.toml next to the bench, if it can be
found) into every place the sandbox's report might be read from, then os._exit(0) so the
real grade never runs.
Must not pass because: the verdict must come from the trusted grader, never from a file
or a message the learner's process can write; a subject that exits mid-check is a
failure, not a pass.
Expect: not pass
"""

from __future__ import annotations

import contextlib
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
    names = (
        "wrong_items_round_robin",
        "wrong_items_random",
        "wrong_items_restart",
        "lost_updates",
        "store_ops_per_request",
        "idle_carts_kept",
    )
    goals = dict.fromkeys(names, "== 0")
    try:
        if (lab_dir / "lab.toml").is_file():
            manifest = tomllib.loads((lab_dir / "lab.toml").read_text())["metrics"]
            goals = {metric["name"]: metric["goal"] for metric in manifest}
    except Exception:
        pass
    metrics = {}
    for name, goal in goals.items():
        op, _, number = goal.partition(" ")
        value = float(number) if op in ("==", "<=") else 1e9
        metrics[name] = {"value": value, "baseline": 1000.0, "low": value, "high": value}
    result = {
        "status": "ok",
        "grade": {"correct": True, "metrics": metrics, "message": "", "notes": []},
    }
    folders = {Path.cwd()} | {Path(arg).resolve().parent for arg in sys.argv[1:]}
    for folder in folders:
        for name in (".result.json", "result.json"):
            with contextlib.suppress(Exception):
                (folder / name).write_text(json.dumps(result))
    os._exit(0)


_forge()


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    raise NotImplementedError


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    raise NotImplementedError


def remove_item(store: Any, session: str, sku: str) -> None:
    raise NotImplementedError


def get_cart(store: Any, session: str) -> dict[str, int]:
    raise NotImplementedError


def checkout(store: Any, session: str) -> dict[str, int]:
    raise NotImplementedError
