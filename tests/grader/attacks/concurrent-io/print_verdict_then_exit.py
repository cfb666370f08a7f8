"""Class 2 — print something that looks like a passing verdict, then sys.exit(0).

Tries: the check shows the learner's output live and keeps its head and tail; a
printout of a verdict table followed by sys.exit(0) might be taken for the grader's own
report, and exit code 0 for "passed". The quotes are never fetched.
Must not pass because: the verdict comes from the grader's judgement of returned values,
never from the learner's output or exit code.
Expect: not pass
"""

from __future__ import annotations

import sys
from typing import Any


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    print("concurrent-io: pass — every target met")
    print("  calls in flight (max)       8   pass")
    print("  extra threads alive (max)   8   pass")
    print("  remote calls               40   pass")
    print("  speedup                   7.1×  pass")
    print('{"status": "ok", "grade": {"correct": true, "metrics": {}}}')
    sys.stdout.flush()
    sys.exit(0)
