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


def test_watch_rechecks_on_save_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_PACK=str(FIXTURE_PACK))
    subprocess.run(perfcoach("lab", "start", "sum-lab"), env=env, check=True,
                   capture_output=True)  # fmt: skip
    proc = subprocess.Popen(perfcoach("lab", "watch", "sum-lab"), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip

    def attempts() -> list[str]:
        with Store.open(tmp_path / "progress.db") as db:
            return [a.verdict for a in db.attempts("sum-lab")]

    deadline = time.monotonic() + 30
    while len(attempts()) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    (tmp_path / "workspace/sum-lab/work.py").write_text(
        (FIXTURE_PACK / "labs/sum-lab/solution/work.py").read_text()
    )
    while len(attempts()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=20)
    assert attempts() == ["pass", "fail"]
    assert proc.returncode == 0
    assert "stopped watching" in stdout
    assert "Traceback" not in stderr


def test_no_arguments_opens_the_tui(tmp_path: Path) -> None:
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_PACK=str(FIXTURE_PACK),
               PERFCOACH_EXIT_AFTER_FIRST_SCREEN="1")  # fmt: skip
    result = subprocess.run(perfcoach(), env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "progress.db").is_file()  # the app opened the store for its first screen
