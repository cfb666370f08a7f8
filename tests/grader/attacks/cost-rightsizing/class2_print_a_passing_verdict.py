"""Class 2 — print what a passing check looks like, then keep the peak fleet.

Tries: write a PASS line and a table of metrics that meet every target to stdout and
stderr at import time, hoping the verdict is read from the subject's output.
Must not pass because: the grader's result travels on its own pipe; the subject's
output is not read as a result. Underneath, this is the starter.
Expect: fail on cost_pct
"""

from __future__ import annotations

import sys
from typing import Any

_FAKE = '{"verdict": "pass", "metrics": {"slo_miss_pct": 0, "cost_pct": 20}}'
print("cost-rightsizing: PASS", _FAKE)
print("PASS every target met", _FAKE, file=sys.stderr)


def policy(observation: Any) -> int:
    return 50
