"""Child process groups perfcoach started, and how they end when perfcoach is told to stop.

Every long-lived child (a check's grader, a measured command's launcher) runs in its own
process group and is registered here while perfcoach waits for it. SIGTERM and SIGHUP
(a closed terminal) stop every registered group before perfcoach exits: the leader gets
SIGTERM and a moment to clean up (a grader ends its subjects and deletes its temporary
files), then the group is killed. Each child also asks the kernel to signal it when
perfcoach dies (PR_SET_PDEATHSIG), which covers SIGKILL, where no handler runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, Protocol


class Child(Protocol):
    """A child process as perfcoach waits for it: a subprocess.Popen, or a grader the
    zygote forked (runner/zygote.py), whose exit code the zygote reports."""

    pid: int
    returncode: Any

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...


STOP_GRACE_S = 3.0
_running: set[Child] = set()
_lock = threading.Lock()


@contextlib.contextmanager
def registered(proc: Child) -> Iterator[None]:
    """Keep proc's group on the kill list while the caller waits for it."""
    with _lock:
        _running.add(proc)
    try:
        yield
    finally:
        with _lock:
            _running.discard(proc)


def kill_group(proc: Child) -> None:
    """SIGKILL proc's whole process group (it may already be gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def stop(procs: list[Child], grace_s: float = STOP_GRACE_S) -> None:
    """Ask each group's leader to stop (SIGTERM: a grader then ends its subjects and
    deletes its files), wait up to grace_s, then SIGKILL whatever is left of the groups."""
    for proc in procs:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        kill_group(proc)


def kill_running() -> None:
    """Stop every registered group: called on quit, SIGTERM and SIGHUP."""
    with _lock:
        procs = list(_running)
    stop(procs)


def install_exit_handlers(then: Callable[[int], None] | None = None) -> None:
    """On SIGTERM or SIGHUP: kill the children's groups, then call then(signum), or by
    default exit as the signal would (a full-screen app passes a graceful exit instead).

    Only the main thread may install handlers; elsewhere this does nothing (the children's
    parent-death signal still ends them).
    """
    if threading.current_thread() is not threading.main_thread():
        return

    def handle(signum: int, _frame: FrameType | None) -> None:
        kill_running()
        if then is not None:
            then(signum)
            return
        signal.signal(signum, signal.SIG_DFL)
        sys.stdout.flush()
        os.kill(os.getpid(), signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handle)
