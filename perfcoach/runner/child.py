"""Start a check's grader process, drain its output, take its result, stop it on time.

The grader (runner/grader.py) gets its spec on stdin and writes its one result to a pipe
whose write end only it holds: the learner's code runs in the grader's subjects, which
never see that pipe, so no file they write and no early exit of theirs can pose as a
result. The grader and its subjects share one process group, killed as a whole on timeout,
cancel, SIGTERM or SIGHUP; each of them also dies when its parent dies.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import perfcoach
from perfcoach import processes
from perfcoach.catalog.lab import DEFAULT_SUBJECTS
from perfcoach.errors import PerfcoachError
from perfcoach.runner.contracts import GraderResult, GraderSpec
from perfcoach.runner.zygote import ZygoteGone, discard, zygote_for

HEAD_BYTES = 4096
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
    """How the grader ended: its JSON result (if it wrote one) and the evidence around it."""

    result: GraderResult | None
    returncode: int | None
    timed_out: bool
    output: str
    output_bytes: int
    duration_s: float


def child_env() -> dict[str, str]:
    """The grader's environment: ours, plus perfcoach importable and no .pyc litter."""
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
    """The caller asked to stop (e.g. the TUI quit mid-check); the grader has been killed."""


def kill_running() -> None:
    """Kill every grader (and its subjects) this process started and is still waiting for."""
    processes.kill_running()


def run_child(
    spec: GraderSpec,
    timeout_s: float,
    on_output: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    subjects: int = DEFAULT_SUBJECTS,
) -> ChildOutcome:
    """Run the grader with spec; kill its whole process group on timeout or cancel.

    Setting cancel kills the grader at once and raises Cancelled. subjects: how many
    processes the grader forks for the bench before it reads the spec (lab.toml).
    """
    stdin_r, stdin_w = os.pipe()
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    buffer = OutputBuffer(on_output)
    start = time.perf_counter()
    try:
        proc, parent_pid = _start_grader((stdin_r, out_w, result_w), subjects)
    except BaseException:
        for fd in (stdin_w, out_r, result_r):
            os.close(fd)
        raise
    finally:
        for fd in (stdin_r, out_w, result_w):
            os.close(fd)
    spec = {**spec, "parent_pid": parent_pid}
    output = os.fdopen(out_r, "rb")
    result_data: list[bytes] = []
    readers = [
        threading.Thread(target=_drain, args=(output, buffer), daemon=True),
        threading.Thread(target=_read_all, args=(result_r, result_data), daemon=True),
    ]
    for reader in readers:
        reader.start()
    with processes.registered(proc):
        try:
            with os.fdopen(stdin_w, "wb") as stdin:
                stdin.write(json.dumps(spec).encode())
        except BrokenPipeError:
            pass  # the grader died at start: its exit code tells the rest
        try:
            timed_out = _wait(proc, start + timeout_s, cancel)
        except BaseException:
            _kill(proc)
            raise
        finally:
            processes.kill_group(proc)
    for reader in readers:
        reader.join(timeout=5)
    duration = time.perf_counter() - start
    result = None
    if result_data and not timed_out:
        try:
            loaded = json.loads(b"".join(result_data))
            result = cast(GraderResult, loaded) if isinstance(loaded, dict) else None
        except ValueError:
            result = None
    return ChildOutcome(result, proc.returncode, timed_out, buffer.text(), buffer.total, duration)


def _start_grader(fds: tuple[int, int, int], subjects: int) -> tuple[processes.Child, int]:
    """The grader, forked by the zygote where there is one (returned with the pid it must
    die with), else started as a fresh interpreter with fds as stdin, output and result."""
    env = child_env()
    for _ in range(2):  # a zygote found dead as it is asked is replaced once
        zygote = zygote_for(env)
        if zygote is None:
            break
        try:
            return zygote.fork(os.getcwd(), env, fds, subjects), zygote.pid
        except ZygoteGone:
            discard(zygote)
    stdin, output, result = fds
    proc = subprocess.Popen(
        # -P: perfcoach as installed, never a perfcoach/ in the directory it runs from.
        [sys.executable, "-P", "-m", "perfcoach.runner.grader", str(result), str(subjects)],
        env=env,
        stdin=stdin,
        stdout=output,
        stderr=output,
        pass_fds=(result,),
        start_new_session=True,
    )
    return proc, os.getpid()


def _wait(proc: processes.Child, deadline: float, cancel: threading.Event | None) -> bool:
    """Wait for the grader; True if it had to be killed for running past the deadline."""
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


def _drain(output: io.BufferedReader, buffer: OutputBuffer) -> None:
    with output:
        while chunk := output.read1(65536):
            buffer.feed(chunk)


def _read_all(fd: int, into: list[bytes]) -> None:
    with os.fdopen(fd, "rb") as pipe:
        while chunk := pipe.read(65536):
            into.append(chunk)


def _kill(proc: processes.Child) -> None:
    """Stop the grader (it ends its subjects and deletes its files), then its whole group."""
    processes.stop([proc])
    proc.wait()
