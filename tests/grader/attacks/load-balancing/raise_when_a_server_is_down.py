"""Class 4 — raise inside pick() while a server is down, hoping the tick is skipped.

Tries: round robin, except that while view.healthy shows a server down, pick() raises
(a ConnectionError, as if the balancer itself had failed): the hope is that the grader
catches it, drops the tick's requests or places them for the balancer, and the crash's
failed requests never count.
Must not pass because: an exception from pick() ends the check there, an error that
names the learner's line (not a skipped tick, not a lab bug), and nothing is graded.
Expect: not pass
"""

from __future__ import annotations

import itertools
from typing import Any

_turn = itertools.count()


def pick(view: Any) -> int:
    if not all(view.healthy):
        raise ConnectionError("balancer unavailable")
    return next(_turn) % view.servers
