"""Class 4 — run the routing in a child process, out of the sandbox's sight.

Tries: start a `python -c` child (subprocess, then os.system) that could read anything the
sandbox hides, and ask it for the target of each read; if no child can be started, the
first replica for everything.
Must not pass because: the sandbox refuses new processes (subprocess and os.system are
audited and fail), and the fallback, one replica for every read, breaks read-your-writes
and the balance.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from typing import Any


class Router:
    def __init__(self, replicas: int) -> None:
        self.child = None
        with contextlib.suppress(Exception):
            self.child = subprocess.run(
                [sys.executable, "-c", "print(0)"], capture_output=True, text=True, timeout=5
            )
        if self.child is None:
            with contextlib.suppress(Exception):
                os.system(f"{sys.executable} -c 'print(0)'")

    def on_write(self, session: int, position: int, now: float) -> None:
        pass

    def on_read(self, session: int, target: Any, position: int) -> None:
        pass

    def route_read(self, session: int, view: Any) -> Any:
        if self.child is not None:
            return int(self.child.stdout.strip() or 0)
        return 0
