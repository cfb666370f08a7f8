"""Class 4 — send the awkward requests nowhere: answer None, -1, True or 2.0.

Tries: round robin, except that a request placed while any server looks busy gets an
answer that is not a server (None, -1, True, 2.0), hoping the simulation drops it, so it
never counts in the P99 or in any queue.
Must not pass because: every request must be placed on a server; an answer that is not
an int from 0 to 7 (True is a bool, 2.0 a float) stops the check as a wrong result.
Expect: wrong result
"""

from __future__ import annotations

import itertools
from typing import Any

_turn = itertools.count()
_dodges = itertools.cycle([None, -1, True, 2.0])


def pick(view: Any) -> Any:
    if max(view.outstanding) > 3:
        return next(_dodges)
    return next(_turn) % view.servers
