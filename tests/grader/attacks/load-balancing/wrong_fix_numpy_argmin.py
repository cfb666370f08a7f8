"""Wrong fix — least outstanding with numpy: np.argmin over the healthy servers' counts.

Tries: the right policy (fewest outstanding among healthy servers), written with numpy,
returning what np.argmin gives: a numpy.int64, not an int.
Must not pass because: the brief says pick() must return an int from 0 to 7, and the check
stops at the first answer that is not one; the message must say what came back (a
numpy.int64) and how to fix it (int(...)), so the learner is not left guessing why a
correct policy "returned" a bad server.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any

import numpy as np


def pick(view: Any) -> Any:
    load = np.array(view.outstanding, dtype=float)
    load[~np.array(view.healthy)] = np.inf
    return np.argmin(load)
