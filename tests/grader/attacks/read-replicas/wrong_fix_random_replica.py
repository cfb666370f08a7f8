"""Wrong fix — every read to a random replica: the primary offloaded, load spread evenly.

Tries: the replicas are copies of the primary, so any of them will do; random spreads the
reads and the primary serves none.
Must not pass because: a replica applies a write tens of ms (or seconds) after the
primary; a read right after its session's write often lands where the write has not
arrived yet, and two reads on different replicas can go back in time.
Expect: fail on ryw_violations
Says: Remember each session's last write position
"""

from __future__ import annotations

import random
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.replicas = replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        return random.randrange(view.replicas)
