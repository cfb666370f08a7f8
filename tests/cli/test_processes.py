"""The installed command as a real process: `python -m`, and Ctrl-C in the middle of a check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from perfcoach.store import Store
from tests.helpers import FIXTURE_PACK


def perfcoach(*args: str) -> list[str]:
    return [sys.executable, "-m", "perfcoach", *args]


def sandbox_pids(home: Path) -> list[int]:
    """Sandbox children started for this test's home (found through their environment)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"perfcoach.runner.sandbox" in cmdline and f"={home}".encode() in environ:
            pids.append(int(proc.name))
    return pids


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(perfcoach("--help"), capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "lab" in result.stdout


def test_ctrl_c_during_check_kills_the_child_and_records_nothing(tmp_path: Path) -> None:
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_PACK=str(FIXTURE_PACK))
    subprocess.run(perfcoach("lab", "start", "sum-lab"), env=env, check=True, capture_output=True)
    (tmp_path / "workspace/sum-lab/work.py").write_text(
        "def total(xs):\n    while True:\n        pass\n"
    )
    proc = subprocess.Popen(
        perfcoach("lab", "check", "sum-lab"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not sandbox_pids(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = sandbox_pids(tmp_path)
    assert children, "the sandbox child never started"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "interrupted: nothing was recorded" in stderr
    assert "Traceback" not in stderr
    assert sandbox_pids(tmp_path) == []
    with Store.open() as db:
        assert db.attempts("sum-lab") == []
