"""Class 1 — replace the driver's week loop with one that answers for Monday only.

Tries: rebind `week` in every module that looks like the lab's driver to a loop that
drives the platform for Monday with a small fleet and returns, hoping the grader grades
the day it was shown (Monday's night and morning are cheap).
Must not pass because: the subject's harness calls the driver's functions as it loaded
them, before this module was imported, so the rebinding changes nothing, and the whole
week runs with four instances; and were the loop replaced, the grader's platform counts
the intervals decided: a week that stops early is a wrong result that says so.
Expect: fail on slo_miss_pct
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any


def _monday(module: Any, platform: Any, seed: int) -> int:
    observation = platform.call("observe")
    for _ in range(288):
        observation = platform.call("decide", 4)
    return 288 if observation is not None else 0


for _module in list(sys.modules.values()):
    if hasattr(_module, "Autoscaler") and hasattr(_module, "week"):
        with contextlib.suppress(Exception):
            _module.week = _monday


def policy(observation: Any) -> int:
    return 4
