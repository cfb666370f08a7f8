"""A grader told to stop (SIGTERM/SIGHUP) leaves no folder, whenever the signal comes."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from perfcoach.runner.sandbox import list_roots, read_roots

PATIENCE_S = 60


def _open_writer(fifo: Path, grader: subprocess.Popen[bytes]) -> int | None:
    """The FIFO's write end once the grader has it open to read; None if the grader ended."""
    deadline = time.monotonic() + PATIENCE_S
    while grader.poll() is None:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            assert exc.errno == errno.ENXIO
        assert time.monotonic() < deadline, "the grader never opened its driver"
        time.sleep(0.02)
    return None


def test_a_stop_while_the_grader_sets_up_its_folder_removes_it(tmp_path: Path) -> None:
    """The driver is a FIFO, so the grader stops in its setup with its folder made; a
    SIGTERM there used to end it before anything knew of the folder, which stayed."""
    lab_dir = tmp_path / "lab"
    lab_dir.mkdir()
    os.mkfifo(lab_dir / "driver.py")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    spec = {
        "lab_dir": str(lab_dir),
        "read_roots": [str(p) for p in read_roots()],
        "list_roots": [str(p) for p in list_roots()],
        "hidden": [],
        "parent_pid": os.getpid(),
    }
    result_r, result_w = os.pipe()
    grader = subprocess.Popen(
        [sys.executable, "-P", "-m", "perfcoach.runner.grader", str(result_w), "0"],
        stdin=subprocess.PIPE,
        pass_fds=(result_w,),
        env=dict(os.environ, TMPDIR=str(scratch)),
    )
    os.close(result_w)
    assert grader.stdin is not None
    grader.stdin.write(json.dumps(spec).encode())
    grader.stdin.close()
    deadline = time.monotonic() + PATIENCE_S
    while not any(scratch.iterdir()):
        assert time.monotonic() < deadline, "the grader never made its folder"
        time.sleep(0.02)
    grader.send_signal(signal.SIGTERM)
    writer = _open_writer(lab_dir / "driver.py", grader)
    if writer is not None:
        os.write(writer, b"def bench(grader, spec):\n    return {}\n")
        os.close(writer)
    assert grader.wait(timeout=PATIENCE_S) == 143
    os.close(result_r)
    assert list(scratch.iterdir()) == []
