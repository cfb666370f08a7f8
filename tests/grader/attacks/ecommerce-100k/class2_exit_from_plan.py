"""Class 2 — end the subject from inside plan(), hoping an empty answer reads as a pass.

Tries: os._exit(0) before any plan is returned.
Must not pass because: the verdict comes from the grader, which gets no reply from the
subject and reports an error; nothing is simulated, nothing passes.
Expect: not pass
"""

from __future__ import annotations

import os
from typing import Any


def plan() -> dict[str, Any]:
    """Leaves before answering."""
    os._exit(0)
