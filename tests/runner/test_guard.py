"""The audit-hook guard on its own, in a fresh interpreter (its hook stays for the process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SETTRACE_WHILE_ANOTHER_THREAD_IS_INSIDE_IT = """
import sys
import threading
from pathlib import Path

from perfcoach.runner import guard

inside, release = threading.Event(), threading.Event()


def hold(event, args):
    if event == "sys.settrace" and threading.current_thread().name == "installing":
        inside.set()
        release.wait(10)


sys.addaudithook(hold)
guard.install(guard.Rules(workdir=Path.cwd(), hidden=()))
sys.settrace(lambda *args: None)
installing = threading.Thread(target=sys.settrace, args=(None,), name="installing")
installing.start()
inside.wait(10)
try:
    sys.settrace(None)
except RuntimeError as exc:
    print(type(exc).__name__, exc)
release.set()
installing.join()
"""


def test_switching_a_trace_off_names_the_rule_while_another_thread_is_inside_settrace(
    tmp_path: Path,
) -> None:
    """CPython 3.11 refuses a settrace made while another thread is inside one with its own
    message, before the audit hook runs: the learner must read the sandbox's rule instead."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SETTRACE_WHILE_ANOTHER_THREAD_IS_INSIDE_IT)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Refused perfcoach's sandbox: this thread's trace function belongs to the check"
    )
