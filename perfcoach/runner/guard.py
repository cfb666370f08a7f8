"""The audit-hook guard: the portable layer of the subject's sandbox, and its tripwires.

Installed by the subject harness after it has bound everything it measures with and
before the learner's module is imported. An audit hook cannot be removed from Python, and
this one refuses new hooks, so it stays for the life of the process. It refuses, with a
plain RuntimeError that names the rule:

- writing, renaming or deleting files outside the subject's own directory, and reading
  the content pack (solutions, benches) — Landlock enforces the same in the kernel;
- new processes (subprocess, fork, exec, spawn, system) and signals to other processes;
- network sockets and new sqlite3 connections, unless the lab allows them;
- while grading: ctypes, perfcoach modules the harness has not loaded, gc's object graph
  (get_objects, get_referrers, get_referents), other threads' frames
  (sys._current_frames), new audit hooks, rewriting the code or defaults of a function of
  the lab's driver or of perfcoach (the learner's own and the standard library's stay
  theirs: namedtuple sets defaults, types.coroutine rewrites code), and changing a
  thread's trace or profile function once one is set (the harness's profiler and a lab's
  race amplifier are installed first, so the learner's code cannot switch them off).

Refusals are counted by rule, so a check can report what was tried even if the code
swallowed the exception.
"""

from __future__ import annotations

import os
import socket
import sys
import types
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class Refused(RuntimeError):
    """A sandbox rule stopped an operation during a check."""


Refused.__module__ = "builtins"  # tracebacks read "Refused: perfcoach's sandbox: …"


_PROCESS_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "pty.spawn",
        "os.startfile",
    }
)
_INTROSPECTION = frozenset(
    {
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "sys._current_frames",
        "sys._current_exceptions",
    }
)
_PATH_EVENTS = {
    # event: positions of path arguments
    "os.rename": (0, 1),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.link": (0, 1),
    "os.symlink": (0, 1),
    "os.truncate": (0,),
    "os.utime": (0,),
    "os.chflags": (0,),
    "os.mkfifo": (0,),
    "os.mknod": (0,),
    "shutil.rmtree": (0,),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_BLOCKED_IMPORTS = frozenset({"ctypes", "_ctypes", "cffi", "_cffi_backend"})
# A function's behaviour lives in these: rewriting them could change the lab's driver.
_REBIND = frozenset({"__code__", "__defaults__", "__kwdefaults__"})


@dataclass
class Rules:
    """What the subject may do; set once from the grader's bootstrap."""

    workdir: Path
    hidden: tuple[Path, ...]
    grading: bool = True
    serve_loopback: bool = False  # may listen on 127.0.0.1, on a port the kernel picks
    allow_sqlite: bool = False
    driver_name: str = ""
    refusals: Counter[str] = field(default_factory=Counter)


def _loopback_any_port(args: tuple[Any, ...]) -> bool:
    """A bind to 127.0.0.1 on port 0: loopback only, and a free port the kernel picks (the
    port is also all Landlock lets through: see confine.py)."""
    address = args[1] if len(args) > 1 else None
    return isinstance(address, tuple) and len(address) == 2 and address == ("127.0.0.1", 0)


def install(rules: Rules) -> None:
    """Add the guard as an audit hook; from now on it cannot be removed."""
    workdir = os.path.realpath(rules.workdir)
    hidden = tuple(os.path.realpath(p) for p in rules.hidden)
    me = os.getpid()
    realpath, fspath, isinstance_ = os.path.realpath, os.fspath, isinstance
    gettrace, getprofile = sys.gettrace, sys.getprofile
    counts = rules.refusals
    function_type = types.FunctionType
    # perfcoach's own package; the standard library rewrites its own (types.coroutine)
    protected = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    driver_name = rules.driver_name

    def protected_function(target: Any) -> bool:
        if type(target) is not function_type:
            return False
        filename = target.__code__.co_filename
        return filename == driver_name or filename.startswith(protected)

    def refuse(rule: str, message: str) -> None:
        counts[rule] += 1
        raise Refused(f"perfcoach's sandbox: {message}")

    def resolved(path: Any) -> str | None:
        if isinstance_(path, int):
            return None  # an open file descriptor: it was checked when it was opened
        try:
            return realpath(fspath(path))
        except (TypeError, ValueError, OSError):
            return None

    def inside(path: str, root: str) -> bool:
        return path == root or path.startswith(root + os.sep)

    def check_write(path: Any, what: str) -> None:
        full = resolved(path)
        if full is None or inside(full, workdir) or full == os.devnull:
            return
        refuse("write", f"{what} {full!r} is outside the check's own directory")

    def check_read(path: Any) -> None:
        full = resolved(path)
        if full is None or inside(full, workdir):
            return
        if any(inside(full, h) for h in hidden):
            refuse("read", f"reading {full!r} is not allowed during a check")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (isinstance_(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance_(flags, int) and flags & _WRITE_FLAGS
            )
            if writing:
                check_write(path, "writing")
            else:
                check_read(path)
        elif event in _PATH_EVENTS:
            for position in _PATH_EVENTS[event]:
                if position < len(args):
                    check_write(args[position], event)
        elif event in _PROCESS_EVENTS:
            refuse("process", f"{event} is not allowed: a check runs in one process")
        elif event in ("os.kill", "os.killpg"):
            if event == "os.killpg" or (args and args[0] != me):
                refuse("signal", "signals to other processes are not allowed")
        elif event == "socket.__new__":
            family = args[1] if len(args) > 1 else None
            if family != socket.AF_UNIX and not (rules.serve_loopback and family == socket.AF_INET):
                refuse("network", "this lab does not use the network")
        elif event == "socket.bind":
            if not (rules.serve_loopback and _loopback_any_port(args)):
                refuse(
                    "network",
                    "a service in this lab listens on ('127.0.0.1', 0) only"
                    if rules.serve_loopback
                    else "this lab does not use the network",
                )
        elif event == "socket.connect":
            refuse("network", "code under check connects nowhere")
        elif event == "sqlite3.connect":
            if not rules.allow_sqlite:
                refuse(
                    "sqlite",
                    "this lab's database is reachable only through the connection you are given",
                )
        elif event == "sys.addaudithook":
            refuse("hook", "new audit hooks are not allowed during a check")
        elif rules.grading:
            _grading_rules(event, args)

    def _grading_rules(event: str, args: tuple[Any, ...]) -> None:
        if event in _INTROSPECTION:
            refuse("introspection", f"{event}() is not allowed during a check")
        elif event.startswith("ctypes."):
            refuse("ctypes", "ctypes is not allowed during a check")
        elif event == "import" and args and args[0] in _BLOCKED_IMPORTS:
            refuse(
                "ctypes",
                f"importing {args[0]} is not allowed during a check: it would reach past the"
                " sandbox, so packages that load C libraries through it (numpy, for one) are"
                " refused with it; the standard library and the modules the lab's starter"
                " imports are enough for every lab",
            )
        elif event == "import" and args and _is_perfcoach(args[0]):
            refuse(
                "import",
                f"importing {args[0]} is not allowed during a check: perfcoach's own code"
                " (the grader's models included) is not part of your solution",
            )
        elif event == "sys.settrace" and gettrace() is not None:
            refuse("trace", "this thread's trace function belongs to the check")
        elif event == "sys.setprofile" and getprofile() is not None:
            refuse("trace", "this thread's profiler belongs to the check")
        elif (
            event == "object.__setattr__"
            and len(args) > 1
            and args[1] in _REBIND
            and protected_function(args[0])
        ):
            refuse(
                "rebind",
                f"rewriting {args[1]} of {args[0].__qualname__}() is not allowed during a check",
            )

    sys.addaudithook(hook)
    sys.settrace = _refused_first(sys.settrace, gettrace, "trace function", rules, refuse)
    sys.setprofile = _refused_first(sys.setprofile, getprofile, "profiler", rules, refuse)


def _refused_first(
    original: Callable[[Any], None],
    current: Callable[[], Any],
    what: str,
    rules: Rules,
    refuse: Callable[[str, str], None],
) -> Callable[[Any], None]:
    """sys.settrace/setprofile that refuse before entering CPython: on 3.11 a call made while
    another thread is inside settrace fails with CPython's own "another trace function is
    being installed" before the audit hook can name the rule."""

    def guarded(function: Any) -> None:
        if rules.grading and current() is not None:
            refuse("trace", f"this thread's {what} belongs to the check")
        original(function)

    guarded.__name__ = original.__name__
    return guarded


def _is_perfcoach(name: Any) -> bool:
    """A perfcoach module: the harness has loaded the ones it needs before the learner's."""
    return isinstance(name, str) and (name == "perfcoach" or name.startswith("perfcoach."))


def tripwire(module: Any, names: tuple[str, ...], message: str) -> None:
    """Replace module attributes with functions that refuse: for instruments whose originals
    the harness bound before the learner's import (tracemalloc's stop, reset_peak, …)."""

    def make(name: str) -> Callable[..., Any]:
        def refused(*_args: Any, **_kwargs: Any) -> Any:
            raise Refused(f"perfcoach's sandbox: {module.__name__}.{name}(): {message}")

        refused.__name__ = name
        return refused

    for name in names:
        if hasattr(module, name):
            setattr(module, name, make(name))
