"""Class 1 — make the driver's decide() return a summary instead of the replies.

Tries: replace decide() in the driver's module, and the Server's method behind it, with
one that returns a dict claiming every request was served in time, hoping the grader takes
a summary for the run.
Must not pass because: the grader wants one reply per event and believes nothing but the
decisions; anything else stops the check as a wrong result that says the driver was
changed.
Expect: wrong result
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any


def _summary(module: Any, server: Any, events: list[Any]) -> Any:
    return {"served_in_time": len(events), "late": 0}


for _module in list(sys.modules.values()):
    if hasattr(_module, "Server") and hasattr(_module, "decide"):
        with contextlib.suppress(Exception):
            _module.decide = _summary
        with contextlib.suppress(Exception):
            _module.Server.decide = lambda self, module, events: _summary(module, self, events)


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
