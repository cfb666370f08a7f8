"""Child process groups perfcoach started, and how they end when perfcoach is told to stop.

Every long-lived child (a check's grader, a measured command's launcher) runs in its own
process group and is registered here while perfcoach waits for it. SIGTERM and SIGHUP
(a closed terminal) kill every registered group before perfcoach exits, and each child
also asks the kernel to signal it when perfcoach dies (PR_SET_PDEATHSIG), which covers
SIGKILL, where no handler runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from types import FrameType

_running: set[subprocess.Popen[bytes]] = set()
_lock = threading.Lock()
_installed = False


@contextlib.contextmanager
def registered(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """Keep proc's group on the kill list while the caller waits for it."""
    with _lock:
        _running.add(proc)
    try:
        yield
    finally:
        with _lock:
            _running.discard(proc)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL proc's whole process group (it may already be gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def kill_running() -> None:
    """Kill every registered group: called on quit, SIGTERM and SIGHUP."""
    with _lock:
        procs = list(_running)
    for proc in procs:
        kill_group(proc)


def install_exit_handlers() -> None:
    """On SIGTERM or SIGHUP: kill the children's groups, then exit as the signal would.

    Only the main thread may install handlers; elsewhere this does nothing (the children's
    parent-death signal still ends them).
    """
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    _installed = True


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    kill_running()
    signal.signal(signum, signal.SIG_DFL)
    sys.stdout.flush()
    os.kill(os.getpid(), signum)


PDEATHSIG_SNIPPET = (
    "import sys\n"
    "if sys.platform.startswith('linux'):\n"
    "    import ctypes, signal\n"
    "    ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)\n"
)
