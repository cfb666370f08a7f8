"""A pre-imported process that forks each check's grader, so a check starts no Python.

A grader and its subjects used to be three fresh interpreters a check, each importing
perfcoach's runner (~50-60 ms of CPU apiece, a third of a quick check). The zygote is
started once per perfcoach process, as `python -P -m perfcoach.runner.zygote FD`, imports
the grader, the bench kit and the subject's harness, and then forks one grader per
request; the grader forks its subjects from itself before it reads its spec
(runner/grader.py). Nothing secret to a grade ever reaches the zygote: the spec goes
straight to the forked grader's stdin, through a pipe perfcoach holds, and the zygote's
own environment carries no perfcoach setting.

The zygote stays single-threaded (a fork copies only the calling thread) and reports each
grader's exit status to perfcoach, which cannot wait for a process that is not its child.
It ends when its control socket does, that is when perfcoach ends however it ends (a
parent-death signal would fire when the thread that started it ends, as a TUI worker
does); its graders then get their own parent-death signal.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from perfcoach.runner.confine import set_name

# What every grader or subject would import: imported once here, shared by every fork.
PRELOAD = (
    "perfcoach.runner.grader",
    "perfcoach.runner.subject",
    "perfcoach.runner.sqlservice",
    "perfcoach.labkit",
)
MESSAGE_BYTES = 1 << 20
GRADER_RESULT_FD = 3  # where a forked grader finds its result pipe
ZYGOTE_NAME = "pc-zygote"  # as ps shows it
STARTUP_S = 30.0  # to import and say it is ready, however loaded the machine
SLICE_S = 0.05  # how long a wait may go without noticing a signal


def serve(control: socket.socket) -> None:
    """Fork a grader for every request; report each one's exit; return when perfcoach goes."""
    poller = select.poll()
    poller.register(control, select.POLLIN)
    graders: dict[int, int] = {}  # pidfd -> pid
    while True:
        for fd, _ in poller.poll():
            if fd != control.fileno():
                pid = graders.pop(fd)
                poller.unregister(fd)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                _send(control, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})
                continue
            message, fds, _, _ = socket.recv_fds(control, MESSAGE_BYTES, 3)
            if not message:
                return
            try:
                pid = _fork_grader(json.loads(message), fds, control)
            finally:
                for received in fds:
                    os.close(received)
            pidfd = os.pidfd_open(pid)
            graders[pidfd] = pid
            poller.register(pidfd, select.POLLIN)
            _send(control, {"pid": pid})


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    control.sendall(json.dumps(message).encode())


def _fork_grader(request: dict[str, Any], fds: list[int], control: socket.socket) -> int:
    """In the child: a new session, the pipes as stdin, stdout/stderr and fd 3, perfcoach's
    working directory and environment, then the grader's main, exactly as if started."""
    pid = os.fork()
    if pid:
        return pid
    from perfcoach.runner.subject import end_fork  # preloaded: perfcoach never imports it

    code = 1
    try:
        control.detach()  # its fd goes with the others below; the object must not close it
        os.setsid()
        stdin, output, result = fds
        os.dup2(stdin, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.dup2(result, GRADER_RESULT_FD)
        os.closerange(GRADER_RESULT_FD + 1, os.sysconf("SC_OPEN_MAX"))
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        from perfcoach.runner import grader

        sys.argv = [grader.__file__, str(GRADER_RESULT_FD), str(request["subjects"])]
        code = grader.main(sys.argv[1:])
    except BaseException:
        traceback.print_exc()
    finally:
        end_fork(code)


def main(argv: list[str]) -> int:
    """Import what graders and subjects need, then serve perfcoach until it goes."""
    control = socket.socket(fileno=int(argv[0]))
    set_name(ZYGOTE_NAME)
    if os.getppid() != int(argv[1]):
        return 0  # perfcoach has gone already
    for name in PRELOAD:
        importlib.import_module(name)
    _send(control, {"ready": os.getpid()})
    serve(control)
    return 0


class ZygoteChild:
    """A grader the zygote forked, seen from perfcoach as a subprocess.Popen is. Its exit
    code is set by the zygote's reader, so any number of threads may wait for it (the
    TUI's check worker and its quit both do)."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote = zygote
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit code once the zygote has reported it, else None."""
        return self.zygote.exit_code(self, 0.0)

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit code; subprocess.TimeoutExpired when timeout passes first."""
        code = self.zygote.exit_code(self, timeout)
        if code is None:
            raise subprocess.TimeoutExpired(f"grader {self.pid}", timeout or 0.0)
        return code


class ZygoteGone(Exception):
    """The zygote cannot fork: it has died, or never started."""


class Zygote:
    """perfcoach's end of one zygote: start it, ask it for graders, learn how they ended."""

    def __init__(self, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = ours
        self.startup_env = startup_env(env)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-m",
                "perfcoach.runner.zygote",
                str(theirs.fileno()),
                str(os.getpid()),
            ],
            env={k: v for k, v in env.items() if not k.startswith("PERFCOACH_")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(theirs.fileno(),),
            start_new_session=True,
        )
        theirs.close()
        self.pid = self.proc.pid
        self.alive = True
        self._asking = threading.Lock()  # one request (and its pid reply) at a time
        self._changed = threading.Condition()
        self._forked: list[ZygoteChild] = []  # for the asker to take
        self._running: dict[int, ZygoteChild] = {}  # by pid, until the zygote reports its exit
        self._ready = False
        threading.Thread(target=self._read, name="perfcoach-zygote", daemon=True).start()

    def _read(self) -> None:
        """Route the zygote's messages: forked pids to the asker, exit codes to waiters."""
        while True:
            try:
                data = self.control.recv(MESSAGE_BYTES)
            except OSError:
                data = b""
            with self._changed:
                if not data:
                    self.alive = False
                    self._changed.notify_all()
                    return
                message = json.loads(data)
                if "ready" in message:
                    self._ready = True
                elif "pid" in message:
                    child = ZygoteChild(self, message["pid"])
                    self._running[child.pid] = child
                    self._forked.append(child)
                else:
                    self._running.pop(message["exit"]).returncode = message["code"]
                self._changed.notify_all()

    def fork(
        self, cwd: str, env: dict[str, str], fds: tuple[int, int, int], subjects: int
    ) -> ZygoteChild:
        """A grader forked with stdin, stdout+stderr and its result pipe from fds, that
        forks subjects processes for the bench before it reads its spec."""
        request = json.dumps({"cwd": cwd, "env": env, "subjects": subjects}).encode()
        with self._asking:
            with self._changed:
                if not self._wait_for(lambda: self._ready or not self.alive, STARTUP_S):
                    self.alive = False
                if not self.alive:
                    raise ZygoteGone("the zygote did not start")
            try:
                socket.send_fds(self.control, [request], list(fds))
            except OSError as exc:
                raise ZygoteGone(str(exc)) from exc
            with self._changed:
                # A fork takes milliseconds: a zygote that does not answer is stuck (stopped,
                # say), and the check starts its grader afresh instead of waiting forever.
                self._wait_for(lambda: bool(self._forked) or not self.alive, STARTUP_S)
                if not self._forked:
                    raise ZygoteGone("the zygote did not fork")
                return self._forked.pop(0)

    def exit_code(self, child: ZygoteChild, timeout: float | None) -> int | None:
        """child's exit code, waiting up to timeout for it; SIGKILL's if the zygote is gone
        (the grader died with it: its parent-death signal)."""
        with self._changed:
            self._wait_for(lambda: child.returncode is not None or not self.alive, timeout)
            if child.returncode is None and not self.alive:
                child.returncode = -signal.SIGKILL
            return child.returncode

    def _wait_for(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Condition.wait_for in short slices, holding the condition: a signal handled by
        another thread (the reader's) does not wake a thread blocked on a lock, so a
        Ctrl-C would wait for the whole timeout (a check's) to be noticed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not predicate():
            left = SLICE_S if deadline is None else min(SLICE_S, deadline - time.monotonic())
            if left <= 0:
                return False
            self._changed.wait(left)
        return True

    def close(self) -> None:
        """End the zygote (its graders get their parent-death signal)."""
        self.alive = False
        with contextlib.suppress(OSError):
            self.control.shutdown(socket.SHUT_RDWR)  # wakes the reader: it sees the end
        self.control.close()
        self.proc.kill()
        self.proc.wait()


def startup_env(env: dict[str, str]) -> dict[str, str]:
    """The variables an interpreter reads as it starts: a zygote started under other values
    would fork graders unlike the ones Python would start now."""
    prefixes = ("PYTHON", "MALLOC_", "LD_", "LC_", "LANG")
    return {k: v for k, v in env.items() if k.startswith(prefixes)}


_current: Zygote | None = None
_lock = threading.Lock()


def zygote_for(env: dict[str, str]) -> Zygote | None:
    """The running zygote for env's interpreter settings (a new one when they changed), or
    None where forking is not available (not Linux, no pidfd)."""
    global _current
    if not hasattr(os, "pidfd_open") or not hasattr(socket, "send_fds"):
        return None
    with _lock:
        if _current is not None and (
            not _current.alive or _current.startup_env != startup_env(env)
        ):
            _current.close()
            _current = None
        if _current is None:
            _current = Zygote(env)
        return _current


def discard(zygote: Zygote) -> None:
    """Stop using a zygote that failed to fork; the next check starts another."""
    global _current
    with _lock:
        if _current is zygote:
            _current = None
    zygote.close()


if __name__ == "__main__":
    from perfcoach.runner.zygote import main as package_main

    sys.exit(package_main(sys.argv[1:]))
