"""Class 3 — find the lab's solution/plan.py on disk and return what it returns; the seed's
plan if that fails.

Tries: walk up from the installed perfcoach package and from the working directory to
every labs/ecommerce-100k/solution/plan.py, and exec the first one it can read.
Must not pass because: the sandbox refuses reading the content pack (Landlock, and the
audit hook where Landlock is missing), so the fallback, the seed's plan, is graded.
Expect: fail on db_connections
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import perfcoach


def _solution() -> dict[str, Any] | None:
    roots = [Path(perfcoach.__file__).resolve().parent, Path(os.getcwd()).resolve()]
    for root in roots:
        for folder in (root, *root.parents):
            for labs in (folder / "labs", folder / "perfcoach" / "labs"):
                path = labs / "ecommerce-100k" / "solution" / "plan.py"
                with contextlib.suppress(Exception):
                    namespace: dict[str, Any] = {"__name__": "stolen"}
                    exec(compile(path.read_text(), str(path), "exec"), namespace)
                    return namespace["plan"]()
    return None


def plan() -> dict[str, Any]:
    """The solution's plan if it can be read; the seed's otherwise."""
    return _solution() or {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 20,
            "pooler_connections": 0,
        },
    }
