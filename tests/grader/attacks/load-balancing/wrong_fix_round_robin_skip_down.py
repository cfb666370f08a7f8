"""Wrong fix — round robin that skips the servers the health check found down.

Tries: keep round robin, which is fair, and only fix what the check says is broken.
Must not pass because: health is only half the lesson: a slow or gray server passes its
checks, still gets an eighth of the traffic, and queues dozens of requests.
Expect: fail on max_queue
"""

from __future__ import annotations

import itertools
from typing import Any

_turn = itertools.count()


def pick(view: Any) -> int:
    while True:
        server = next(_turn) % view.servers
        if view.healthy[server]:
            return server
