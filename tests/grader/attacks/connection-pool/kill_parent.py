"""Class 2 — kill the process that is waiting for the verdict.

Tries: the process that started the check is the learner's parent; os.kill(getppid(),
SIGKILL) at import time ends it before it can judge anything. In the CLI that is the
perfcoach command itself (no verdict, no record of a failed attempt); in a test it is
the test process.
Must not pass because: a check must always end with a verdict recorded by a process the
learner cannot signal. (The test runs this check in a throw-away intermediate process.)
Expect: not pass
Isolate: yes
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

os.kill(os.getppid(), signal.SIGKILL)


class Service:
    """The starter: a connection per request."""

    def __init__(self, connect: Callable[[], Any], pool_size: int) -> None:
        self.connect = connect

    def handle(self, work: Callable[[Any], T]) -> T:
        """Run work(conn) on a fresh connection."""
        conn = self.connect()
        try:
            return work(conn)
        finally:
            conn.close()

    def close(self) -> None:
        """Nothing to close."""
