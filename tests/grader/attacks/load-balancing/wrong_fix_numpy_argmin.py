"""Wrong fix — least outstanding with numpy: np.argmin over the healthy servers' counts.

Tries: the right policy (fewest outstanding among healthy servers), written with numpy,
returning what np.argmin gives: a numpy.int64, not an int.
Must not pass because: the brief says pick() must return an int from 0 to 7. Today the
check stops earlier: the sandbox refuses numpy's import (it loads ctypes), an error naming
the refusal. Were numpy allowed, np.argmin's numpy.int64 is not an int: the check stops at
the first such answer as a wrong result, and the message says what came back and to
return int(...) of it.
Expect: not pass
"""

from __future__ import annotations

from typing import Any

import numpy as np


def pick(view: Any) -> Any:
    load = np.array(view.outstanding, dtype=float)
    load[~np.array(view.healthy)] = np.inf
    return np.argmin(load)
