"""The installed command as a real process: `python -m`, and Ctrl-C in the middle of a check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from perfcoach.runner.grader import GRADER_NAME
from perfcoach.runner.subject import SUBJECT_NAME
from perfcoach.store import Store
from tests.helpers import FIXTURE_PACK, descendants

# How long a test waits for a state before it fails. Only a failing test waits this long;
# a machine loaded by other work (load average ~10 on 2 cores) has needed over 20 s for a
# check to start, and again for perfcoach to stop its grader and exit after a Ctrl-C.
PATIENCE_S = 120


def perfcoach(*args: str) -> list[str]:
    return [sys.executable, "-m", "perfcoach", *args]


def wait_for(state: Callable[[], bool], what: str) -> None:
    """Poll until state() holds; fail naming what never happened."""
    deadline = time.monotonic() + PATIENCE_S
    while not state():
        assert time.monotonic() < deadline, f"{what} (waited {PATIENCE_S} s)"
        time.sleep(0.05)


def sandbox_pids(perfcoach_pid: int) -> list[int]:
    """The graders and subjects below a running perfcoach, by the names they give
    themselves (a forked one has its zygote's command line)."""
    found = []
    for pid in descendants(perfcoach_pid):
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if name in (GRADER_NAME, SUBJECT_NAME):
            found.append(pid)
    return found


def running(pids: dict[int, str]) -> list[int]:
    """Which of pids (each with the start time /proc/PID/stat gave it) still run."""
    return [pid for pid, started in pids.items() if _started(pid) == started]


def _started(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def below(perfcoach_pid: int) -> dict[int, str]:
    """Every process below a running perfcoach (its zygote too), with its start time."""
    return {pid: _started(pid) for pid in descendants(perfcoach_pid)}


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
    wait_for(lambda: len(sandbox_pids(proc.pid)) >= 2, "the grader and its subject never started")
    started = below(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=PATIENCE_S)
    assert proc.returncode == 130
    assert "interrupted: nothing was recorded" in stderr
    assert "Traceback" not in stderr
    wait_for(lambda: not running(started), "a process of the check outlived perfcoach")
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

    wait_for(lambda: len(attempts()) == 1, "the first check was never recorded")
    (tmp_path / "workspace/sum-lab/work.py").write_text(
        (FIXTURE_PACK / "labs/sum-lab/solution/work.py").read_text()
    )
    wait_for(lambda: len(attempts()) == 2, "saving the file never started a second check")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=PATIENCE_S)
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


def _stuck_check(tmp_path: Path) -> tuple[subprocess.Popen[str], dict[int, str]]:
    """`perfcoach lab check` on code that never returns, with its grader and subject up, and
    every process below it then (its zygote, the grader, the subjects)."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_PACK=str(FIXTURE_PACK),
               TMPDIR=str(scratch))  # fmt: skip
    subprocess.run(perfcoach("lab", "start", "sum-lab"), env=env, check=True, capture_output=True)
    (tmp_path / "workspace/sum-lab/work.py").write_text(
        "def total(xs):\n    while True:\n        pass\n"
    )
    proc = subprocess.Popen(perfcoach("lab", "check", "sum-lab"), env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    wait_for(lambda: len(sandbox_pids(proc.pid)) >= 2, "the grader and its subject never started")
    return proc, below(proc.pid)


def _all_gone(started: dict[int, str], tmp_path: Path) -> bool:
    """Poll until none of the check's processes runs and no temporary folder is left."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if not running(started) and not any((tmp_path / "tmp").iterdir()):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_leaves_no_process_or_folder(tmp_path: Path, signum: int) -> None:
    proc, started = _stuck_check(tmp_path)
    proc.send_signal(signum)
    proc.communicate(timeout=PATIENCE_S)
    assert proc.returncode == -signum
    assert _all_gone(started, tmp_path), (running(started), list((tmp_path / "tmp").iterdir()))
    with Store.open(tmp_path / "progress.db") as db:
        assert db.attempts("sum-lab") == []


def test_sigkill_of_perfcoach_still_ends_the_check(tmp_path: Path) -> None:
    """No handler runs on SIGKILL: the kernel tells the grader its parent died."""
    proc, started = _stuck_check(tmp_path)
    proc.kill()
    proc.communicate(timeout=PATIENCE_S)
    assert _all_gone(started, tmp_path), (running(started), list((tmp_path / "tmp").iterdir()))


def test_sigkill_during_a_baseline_leaves_no_command_running(tmp_path: Path) -> None:
    marker = f"perfcoach-orphan-{tmp_path.name}"
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path))
    new = perfcoach("effort", "new", "slow", "--goal", "faster")
    subprocess.run(new, env=env, check=True, capture_output=True)
    command = [sys.executable, "-c", f"import time; time.sleep(60)  # {marker}"]
    proc = subprocess.Popen(perfcoach("baseline", "slow", "--", *command), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip

    def running() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    wait_for(lambda: bool(running()), "the measured command never started")
    proc.kill()
    proc.communicate(timeout=PATIENCE_S)
    wait_for(lambda: not running(), "the measured command outlived perfcoach")


def test_without_a_terminal_the_tui_is_refused_at_once(tmp_path: Path) -> None:
    """It used to write escape codes into the pipe and wait for keys forever."""
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_PACK=str(FIXTURE_PACK))
    env.pop("PERFCOACH_EXIT_AFTER_FIRST_SCREEN", None)
    for args in ([], ["tui"]):
        result = subprocess.run(
            [*perfcoach(), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert "the full-screen app needs a terminal" in result.stderr
        assert "\x1b" not in result.stdout


def test_odd_terminals_get_output_not_a_crash(tmp_path: Path) -> None:
    """An ASCII-only terminal crashed `lab show` (UnicodeEncodeError); at 40 columns the
    status column of `lab list` was squeezed to nothing; a closed stdout exited 0."""
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_PACK=str(FIXTURE_PACK))
    builtin = {k: v for k, v in env.items() if k != "PERFCOACH_PACK"}
    ascii_only = subprocess.run(
        [*perfcoach(), "lab", "show", "warmup"],  # its brief has "·" and "—"
        env=dict(builtin, PYTHONIOENCODING="ascii"),
        capture_output=True,
        timeout=60,
    )
    assert ascii_only.returncode == 0, ascii_only.stderr
    assert b"Warm-up: ask once" in ascii_only.stdout
    narrow = subprocess.run(
        [*perfcoach(), "lab", "list"],
        env=dict(env, COLUMNS="40"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert narrow.returncode == 0
    assert "not started" in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 40
    closed = subprocess.run(
        [*perfcoach(), "lab", "list"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 2
    assert "standard output is closed" in closed.stderr
