"""Start the sandbox child, drain its output without letting it flood memory, stop it on time."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import perfcoach
from perfcoach.errors import PerfcoachError

HEAD_BYTES = 4096
# A profiler needs a script path; running sandbox.py itself would put perfcoach/runner/
# first on sys.path, where its modules shadow the standard library's.
_DRIVER = "import sys\nfrom perfcoach.runner.sandbox import main\nsys.exit(main(sys.argv[1:]))\n"
TAIL_BYTES = 8192


class OutputBuffer:
    """Keeps the first and last few KiB of a stream and counts the rest."""

    def __init__(self, on_output: Callable[[str], None] | None = None) -> None:
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_size = 0
        self.total = 0
        self.on_output = on_output

    def feed(self, chunk: bytes) -> None:
        """Take one chunk from the pipe."""
        self.total += len(chunk)
        if self.on_output is not None:
            self.on_output(chunk.decode("utf-8", "replace"))
        room = HEAD_BYTES - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail.append(chunk)
            self.tail_size += len(chunk)
            while self.tail_size - len(self.tail[0]) >= TAIL_BYTES:
                self.tail_size -= len(self.tail.popleft())

    def text(self) -> str:
        """What the learner's code printed, cut in the middle when it was long."""
        tail = b"".join(self.tail)[-TAIL_BYTES:]
        kept = len(self.head) + len(tail)
        head = self.head.decode("utf-8", "replace")
        if self.total > kept:
            skipped = self.total - kept
            return (
                f"{head}\n… [{skipped:,} bytes of output cut] …\n{tail.decode('utf-8', 'replace')}"
            )
        return head + tail.decode("utf-8", "replace")


@dataclass
class ChildOutcome:
    """How the child ended: its JSON result (if it wrote one) and the evidence around it."""

    result: dict[str, Any] | None
    returncode: int | None
    timed_out: bool
    output: str
    output_bytes: int
    duration_s: float


def child_env() -> dict[str, str]:
    """The child's environment: ours, plus perfcoach importable and no .pyc litter."""
    env = dict(os.environ)
    package_parent = str(Path(perfcoach.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    # glibc reserves a 64 MiB arena per thread; under RLIMIT_AS a few dozen threads would
    # exhaust the limit without using the memory, so cap the arenas.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


class Cancelled(PerfcoachError):
    """The caller asked to stop (e.g. the TUI quit mid-check); the child has been killed."""


_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


def kill_running() -> None:
    """Kill every sandbox child this process started and is still waiting for.

    An app that quits calls this from its own thread, so no child outlives it even
    when the thread that waits for the child is a daemon that dies with the process.
    """
    with _running_lock:
        procs = list(_running)
    for proc in procs:
        _kill_group(proc)


def run_child(
    spec: dict[str, Any],
    timeout_s: float,
    on_output: Callable[[str], None] | None = None,
    wrap: Callable[[Path, list[str]], list[str]] | None = None,
    cancel: threading.Event | None = None,
) -> ChildOutcome:
    """Run the sandbox with spec in a fresh temp dir; kill its whole process group on timeout.

    wrap lets a profiler (scalene) run the sandbox script under itself; setting cancel
    kills the child at once and raises Cancelled.
    """
    with tempfile.TemporaryDirectory(prefix="perfcoach-run-") as tmp:
        workdir = Path(tmp)
        spec = dict(spec, result_path=str(workdir / ".result.json"))
        spec_path = workdir / ".spec.json"
        spec_path.write_text(json.dumps(spec))
        cmd = [sys.executable, "-m", "perfcoach.runner.sandbox", str(spec_path)]
        if wrap is not None:
            driver = workdir / "perfcoach_sandbox.py"
            driver.write_text(_DRIVER)
            cmd = wrap(driver, [str(spec_path)])
        buffer = OutputBuffer(on_output)
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        reader = threading.Thread(target=_drain, args=(proc, buffer), daemon=True)
        reader.start()
        with _running_lock:
            _running.add(proc)
        try:
            timed_out = _wait(proc, start + timeout_s, cancel)
        except BaseException:
            _kill(proc)
            raise
        finally:
            with _running_lock:
                _running.discard(proc)
            _kill_group(proc)
        reader.join(timeout=5)
        duration = time.perf_counter() - start
        result_path = Path(spec["result_path"])
        result = None
        if result_path.is_file():
            try:
                result = json.loads(result_path.read_text())
            except ValueError:
                result = None
        return ChildOutcome(
            result, proc.returncode, timed_out, buffer.text(), buffer.total, duration
        )


def _wait(proc: subprocess.Popen[bytes], deadline: float, cancel: threading.Event | None) -> bool:
    """Wait for the child; True if it had to be killed for running past the deadline."""
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            _kill(proc)
            return True
        try:
            proc.wait(timeout=min(left, 0.1) if cancel is not None else left)
        except subprocess.TimeoutExpired:
            pass
        else:
            if cancel is not None and cancel.is_set():
                raise Cancelled("the check was cancelled")
            return False
        if cancel is not None and cancel.is_set():
            _kill(proc)
            raise Cancelled("the check was cancelled")


def _drain(proc: subprocess.Popen[bytes], buffer: OutputBuffer) -> None:
    assert proc.stdout is not None
    while chunk := proc.stdout.read1(65536):
        buffer.feed(chunk)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    _kill_group(proc)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """The child may have started its own children: end them all."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
