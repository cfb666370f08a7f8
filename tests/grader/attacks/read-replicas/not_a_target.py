"""Class 4 — answer with something that is not a target: "replica-1", hoping it counts as one.

Tries: route every read to the string "replica-1" (and every tenth to a float 1.0), a name
a real router config might use, hoping the grader serves it somewhere harmless or skips it.
Must not pass because: route_read() must return "primary" or an int replica number; the
grader stops the check at the first answer that is neither, as a wrong result.
Expect: wrong result
Says: it must return "primary" or a replica number
"""

from __future__ import annotations

from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.reads = 0

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        self.reads += 1
        return 1.0 if self.reads % 10 == 0 else "replica-1"
