"""Wrong fix — least outstanding requests over every server, health never read.

Tries: the fewest requests in flight wins; a dead server must pile up unanswered requests
and so stop winning.
Must not pass because: a crashed server refuses (or resets) every request within a
millisecond, so its count falls back to 0 at once and it wins nearly every pick: a black
hole. Only view.healthy keeps traffic off it.
Expect: fail on sent_to_down
Says: read view.healthy on every call
Says: looks idle and fast
"""

from __future__ import annotations

import random
from typing import Any


def pick(view: Any) -> int:
    fewest = min(view.outstanding)
    return random.choice([s for s in range(view.servers) if view.outstanding[s] == fewest])
