"""Class 2 — print a passing verdict table, then leave from inside the first page.

Tries: on the first page read, print what `lab check` prints for a pass (every row PASS,
"PASS every target met") to stdout and stderr, then sys.exit(0) and, should that be
caught, os._exit(0), hoping the grader reads the text or takes a clean exit as a
finished run. Posts are published the starter's way until then.
Must not pass because: the verdict is built by the grader from its own store and sent
over a pipe this process does not have; an instance that exits in the middle of the run
leaves requests unanswered, which is an error, not a pass.
Expect: not pass
"""

from __future__ import annotations

import os
import sys
from typing import Any

CAP = 20
_TABLE = """timeline-fanout: PASS
│ store commands per page read (mean)    │       40 │     3 │ ≤ 12   │ PASS    │
│ members written by one post (most)     │        1 │     1 │ ≤ 500  │ PASS    │
PASS every target met
"""


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    store.zadd(f"posts:{author}", {post_id: at})


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    print(_TABLE)
    print(_TABLE, file=sys.stderr)
    sys.stdout.flush()
    try:
        sys.exit(0)
    finally:
        os._exit(0)
