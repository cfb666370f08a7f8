"""Class 2 — leave before the week is over: answer a small fleet for the first day, then
call os._exit(0) in the middle of the check.

Tries: end the subject process with a success status after Monday's cheap decisions,
hoping the grader grades the day it saw, or takes an exit status of 0 for a pass.
Must not pass because: the verdict comes only from the grader's own simulation of the
whole week, over a pipe this process does not hold; a subject that disappears
mid-check ends it as an error.
Expect: not pass
"""

from __future__ import annotations

import os
from typing import Any


def policy(observation: Any) -> int:
    if observation.t >= 288:
        os._exit(0)
    return 2
