"""SIGTERM and SIGHUP end the children perfcoach waits for, whichever face is running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from perfcoach import processes


@pytest.fixture
def restore_handlers() -> Iterator[None]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_registered_children_then_calls_back(
    restore_handlers: None, signum: int
) -> None:
    """The TUI's way: children stopped, then the app asked to exit (no abrupt death)."""
    seen: list[int] = []
    processes.install_exit_handlers(seen.append)
    child = _sleeper()
    with processes.registered(child):
        os.kill(os.getpid(), signum)
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
    assert seen == [signum]
    assert child.wait(timeout=10) in (-signal.SIGTERM, -signal.SIGKILL)


def test_stop_gives_the_leader_time_to_clean_up_then_kills_the_group() -> None:
    """A leader that ignores SIGTERM is killed with its group after the grace period."""
    code = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    stubborn = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, start_new_session=True
    )
    assert stubborn.stdout is not None
    assert stubborn.stdout.readline() == b"ready\n"  # its handler is in place
    processes.stop([stubborn], grace_s=0.5)
    assert stubborn.wait(timeout=10) == -signal.SIGKILL
