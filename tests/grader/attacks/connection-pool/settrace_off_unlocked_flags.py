"""Class 1 — the unlocked busy-flag pool, with the grader's race amplifier switched off.

Tries: wrong_fix_busy_flags_no_lock, plus two lines at the top of handle():
sys.settrace(None) removes the line tracer the bench installs in each worker thread to
let other threads in between any two lines, and sys.setswitchinterval(0.005) undoes the
bench's 10 µs switch interval. The race is still there; it just stops showing up.
Must not pass because: two requests can still get the same connection; the bench's
instruments must not be removable from the code they measure.
Expect: not pass
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Service:
    """Runs each request's work on a pooled connection, found by scanning busy flags."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect
        self.pool_size = pool_size
        self._slots = [[connect(), False] for _ in range(pool_size)]

    def _take(self) -> list[Any]:
        while True:
            for slot in self._slots:
                if not slot[1]:
                    slot[1] = True
                    return slot
            time.sleep(0.0001)

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a pooled connection; exceptions reach the caller."""
        sys.settrace(None)
        sys.setswitchinterval(0.005)
        slot = self._take()
        try:
            return work(slot[0])
        finally:
            slot[1] = False

    def close(self) -> None:
        """Close every pooled connection."""
        for conn, _ in self._slots:
            conn.close()
