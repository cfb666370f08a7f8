"""Wrong fix — a pool of busy flags, checked and set without a lock.

Tries: four connections opened up front, each with a busy flag; a request takes the
first idle one (`if not busy: busy = True`) and frees it in finally.
Must not pass because: check-then-set is two steps; another thread can take the same
connection in between. The bench's race amplifier makes that happen in every run.
Expect: fail on double_checkouts
"""

from __future__ import annotations

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
        slot = self._take()
        try:
            return work(slot[0])
        finally:
            slot[1] = False

    def close(self) -> None:
        """Close every pooled connection."""
        for conn, _ in self._slots:
            conn.close()
