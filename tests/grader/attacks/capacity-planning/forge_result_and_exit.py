"""Class 2 — writes a passing result file and exits before the grader can compare.

Tries: writes result.json with every metric at 200 in the working directory, then
os._exit(0) at import.
Must not pass because: the verdict comes only from the grader's own pipe; a subject that
exits before it replies is an error.
Expect: not pass
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_METRICS = [
    "littles_law",
    "mm1_quantile",
    "erlang_c",
    "servers_for_p95",
    "usl_peak",
    "usl_fit",
    "fleet_plan",
]
Path("result.json").write_text(
    json.dumps(
        {
            "status": "ok",
            "grade": {"correct": True, "metrics": {m: {"value": 200} for m in _METRICS}},
        }
    )
)
print("capacity-planning: PASS every target met")
os._exit(0)
