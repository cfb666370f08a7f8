"""Wrong fix — read-your-writes alone: a replica qualifies once it has the session's last write.

Tries: remember each session's last write position and require it; balance by reads sent.
on_read() is left empty: the read already went to a replica that had the write.
Must not pass because: read-your-writes says nothing of what the session has already
seen. A session that read a fresh replica and then one in a lag spike (which has long had
the session's last write) sees an older state: a comment there a moment ago is gone.
Expect: fail on monotonic_violations
Says: The last write is not enough
"""

from __future__ import annotations

from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.last_write: dict[int, int] = {}
        self.sent = [0] * replicas

    def on_write(self, session: int, position: int, now: float) -> None:
        self.last_write[session] = position

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        need = self.last_write.get(session, 0)
        fit = [
            r
            for r in range(view.replicas)
            if view.applied[r] >= need and view.lag_ms[r] <= view.max_lag_ms
        ]
        if not fit:
            return "primary"
        choice = min(fit, key=self.sent.__getitem__)
        self.sent[choice] += 1
        return choice
