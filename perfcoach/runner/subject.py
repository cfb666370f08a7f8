"""The subject process: the learner's module (or the starter) and a harness, nothing else.

Started by the grader as `python -m perfcoach.runner.subject SOCKET_FD GRADER_PID`. Its
first frame from the grader is the bootstrap: the lab driver's source, the files to
import, the limits, and the key that signs this harness's replies. Then, on its only
thread and before any learner code exists, the harness binds the instruments it measures
with, confines the process (confine.py) and installs the guard (guard.py). The learner's
module is imported, and every driver call runs, on a fresh worker thread; the main thread
keeps the key, reads the wire, samples memory and signs each reply. Nothing secret to the
grade ever reaches this process: no seed, no expected value, no reference code.
"""

from __future__ import annotations

import _thread
import contextlib
import gc
import itertools
import os
import random
import resource
import select
import signal
import socket
import sys
import threading
import traceback
import tracemalloc
from array import array
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from perfcoach import driverkit
from perfcoach.runner import confine, guard, wire

if TYPE_CHECKING:
    from perfcoach.runner.contracts import (
        AnswerFrame,
        CallRequest,
        CollectorFigures,
        ConfinementData,
        ErrorInfo,
        EventFrame,
        ImportRequest,
        ServiceAnswer,
        ServiceCall,
        SubjectBoot,
        SubjectReply,
        SubjectRequest,
    )

DRIVER_MODULE = "perfcoach_lab_driver"
SUBJECT_NAME = "pc-subject"  # as ps shows it, however it started
# What `import perfcoach.runner.subject` loads of perfcoach: all a subject has of it.
HARNESS_MODULES = frozenset(
    {
        "perfcoach",
        "perfcoach.driverkit",
        "perfcoach.lazy",
        "perfcoach.runner",
        "perfcoach.runner.confine",
        "perfcoach.runner.guard",
        "perfcoach.runner.subject",
        "perfcoach.runner.wire",
    }
)
SAMPLE_EVERY_MS = 2
_PEAK_SLACK = 64 * 1024
_SAMPLER_ROOM = 4096  # more than one sample allocates

# Bound before any learner code runs: replacing the module attributes later changes
# nothing here (and the tripwires below refuse the calls that would disturb a measurement).
_tm_start, _tm_stop, _tm_get = tracemalloc.start, tracemalloc.stop, tracemalloc.get_traced_memory
_tm_reset, _tm_tracing = tracemalloc.reset_peak, tracemalloc.is_tracing
_tm_traceback = tracemalloc.get_object_traceback
_os_write, _os_read = os.write, os.read
_gc_collect, _gc_disable, _gc_enable = gc.collect, gc.disable, gc.enable
_gc_stats, _gc_enabled, _gc_threshold = gc.get_stats, gc.isenabled, gc.get_threshold
_gc_frozen, _gc_unfreeze = gc.get_freeze_count, gc.unfreeze


def _probe() -> None:
    """Called a known number of times under the profiler: its count proves nobody cleared it."""


def _wait(
    poller: select.poll,
    sock_fd: int,
    timeout: int | None,
    highest: array[int] | None,
    room: list[Any],
) -> int:
    """Wait for the socket (bit 1) or the wake pipe (bit 2); when memory is measured, raise
    highest[0] to the traced memory seen. A poll object registered once allocates nothing
    while it waits or when it wakes with no event (select builds descriptor tables on
    every call), and the sample is taken in room the harness freed for it: what a sample
    allocates never lifts the traced total, so the call's peak stays its own."""
    events = poller.poll(timeout)
    bits = 0
    if events:
        for fd, _ in events:
            bits |= 1 if fd == sock_fd else 2
    del events
    if highest is not None:
        room[0] = None
        _sample(highest)
        room[0] = bytearray(_SAMPLER_ROOM)
    return bits


def _sample(highest: array[int]) -> None:
    """Raise highest[0] to the traced memory now, counting the sampler's room as taken."""
    current = _tm_get()[0] + _SAMPLER_ROOM
    if current > highest[0]:
        highest[0] = current


class Channel:
    """The subject's end of the wire for proxies: service calls, awaited calls, events."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._waiting: dict[int, Any] = {}

    def send(self, kind: bytes, payload: bytes, key: bytes | None = None) -> None:
        """One frame, whole, even when many threads send at once."""
        data = wire.frame(kind, payload, key)
        with self._lock:
            self._sock.sendall(data)

    def call(self, handle: int, method: str, args: tuple[Any, ...]) -> Any:
        """A service call: send it, block this thread until the answer is delivered."""
        call_id = next(self._ids)
        done = threading.Event()
        slot: list[Any] = []
        self._waiting[call_id] = (done, slot)
        frame: ServiceCall = (call_id, handle, method, _wire_args(args))
        self.send(b"R", wire.dumps(frame))
        done.wait()
        return _unwrap(slot[0])

    async def acall(self, handle: int, method: str, args: tuple[Any, ...]) -> Any:
        """The same call from a coroutine: the event loop runs others while it waits."""
        import asyncio

        loop = asyncio.get_running_loop()
        future = loop.create_future()
        call_id = next(self._ids)
        self._waiting[call_id] = (loop, future)
        frame: ServiceCall = (call_id, handle, method, _wire_args(args))
        self.send(b"R", wire.dumps(frame))
        return _unwrap(await future)

    def event(self, handle: int, record: tuple[Any, ...]) -> None:
        """A one-way record for a grader-side log (marshalled once when it is plain)."""
        frame: EventFrame = (handle, record)
        try:
            payload = wire.dumps(frame)
        except ValueError:
            frame = (handle, wire.plain(record))
            payload = wire.dumps(frame)
        self.send(b"E", payload)

    def deliver(self, payload: bytes) -> None:
        """An answer from the grader: wake the thread or coroutine waiting for it."""
        frame: AnswerFrame = wire.loads(payload)
        call_id, answer = frame
        waiter = self._waiting.pop(call_id, None)
        if waiter is None:
            return
        first, second = waiter
        if isinstance(first, threading.Event):
            second.append(answer)
            first.set()
        else:
            with contextlib.suppress(RuntimeError):  # its event loop may be closed by now
                first.call_soon_threadsafe(_settle, second, answer)


def _settle(future: Any, answer: Any) -> None:
    if not future.done():
        future.set_result(answer)


def _wire_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Arguments a proxy sends: plain data only."""
    try:
        wire.dumps(args)
    except ValueError:
        return wire.plain(args)
    return args


def _unwrap(answer: ServiceAnswer) -> Any:
    if answer[0] == "ok":
        return answer[1]
    raise driverkit.RemoteError(str(answer[1]))


def load_module(path: Path, name: str) -> ModuleType:
    """Import a .py file as module name (registered, so its own imports resolve)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def describe(exc: BaseException, learner_files: tuple[str, ...]) -> ErrorInfo:
    """An exception as the learner should read it: where in their file, their frames first.

    Frames of perfcoach and of the lab's driver are hidden (PERFCOACH_DEBUG=1 keeps them);
    frames below the learner's (the standard library they called) are kept.
    """
    if isinstance(exc, SystemExit):
        return {
            "kind": "error",
            "exception": "SystemExit",
            "message": f"the code called sys.exit({exc.code!r}); a check needs the function "
            "to return",
            "where": "",
            "traceback": "",
        }
    frames = traceback.extract_tb(exc.__traceback__)
    names = set(learner_files)
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename in names:
        where = f"{Path(exc.filename).name} line {exc.lineno}"
    for frame in reversed(frames):
        if frame.filename in names:
            where = where or f"{Path(frame.filename).name} line {frame.lineno}, in {frame.name}"
            break
    if os.environ.get("PERFCOACH_DEBUG"):
        shown = frames
    else:
        first = next((i for i, f in enumerate(frames) if f.filename in names), len(frames))
        shown = traceback.StackSummary.from_list(
            [_short(f, names) for f in frames[first:] if not _ours(f.filename)]
        )
    lines = ["Traceback (most recent call last):\n", *shown.format()]
    lines += traceback.format_exception_only(exc)
    summary = "".join(traceback.format_exception_only(exc)).strip().splitlines()
    kind: Literal["error", "oom"] = "oom" if isinstance(exc, MemoryError) else "error"
    return {
        "kind": kind,
        "exception": type(exc).__name__,
        "message": summary[-1] if summary else type(exc).__name__,
        "where": where,
        "traceback": "".join(lines)[-2500:],
    }


_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


def _short(frame: traceback.FrameSummary, learner: set[str]) -> traceback.FrameSummary:
    """A learner's frame named by its file's name, not the check's temporary folder."""
    if frame.filename not in learner:
        return frame
    return traceback.FrameSummary(
        Path(frame.filename).name, frame.lineno, frame.name, line=frame.line
    )


def _ours(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIR) or filename.startswith("<perfcoach")


def _start_worker(
    target: Callable[..., None], args: tuple[Any, ...]
) -> tuple[Callable[[], None], Callable[[], None], int]:
    """Start target on a new thread, parked before it calls the job; return the function
    that lets it go, one that waits until the thread is gone, and its id in the kernel.

    The wait uses the interpreter's own end-of-thread lock, handed over before any learner
    code runs, so nothing the learner's code can reach can make it return early. The kernel
    lists the thread a moment longer: the grader, which counts threads, waits for that id.
    Parked, the thread and everything made to start it exist before a memory figure's base
    is read: the figure is the job's alone, first call or not.
    """
    holder: list[Any] = []
    go = _thread.allocate_lock()
    go.acquire()
    arrived = _thread.allocate_lock()
    arrived.acquire()
    if hasattr(_thread, "start_joinable_thread"):  # Python 3.13+
        handle = _thread.start_joinable_thread(lambda: target(holder, (go, arrived), *args))
        join = handle.join
    else:
        _thread.start_new_thread(target, (holder, (go, arrived), *args))
        join = None
    arrived.acquire()
    native_id, sentinel = holder
    holder.clear()
    return go.release, (join or sentinel.acquire), native_id


# Calls the worker makes after a profiled job returns, all counted by the profiler:
# result.append, gc.enable and os.write. The main thread subtracts them.
_POST_JOB_CALLS = 3


def _worker(
    holder: list[Any] | None,
    locks: tuple[Any, Any] | None,
    job: Callable[[], Any],
    result: list[Any],
    wake: int,
    profiler: Any,
    probes: tuple[int, int],
    peaks: list[int] | None = None,
    collector: list[Any] | None = None,
) -> None:
    """Run one job on this thread; leave its outcome in result, then wake the main thread.

    An unprofiled job's value is encoded here, inside the timed window, so an output that
    computes when read (a lazy object) is computed on the clock. A profiled job's value is
    handed over raw, so that what the profiler counts after the job is exactly known.
    When memory is measured, the peak is read here too, before the main thread wakes: what
    that thread allocates next (reading the wake pipe) and whether this thread's state is
    freed before it does must not show up in the figure. So are the collector's counters,
    before the value is encoded, when the collector is watched.
    """
    if holder is not None and locks is not None:
        go, arrived = locks
        holder.append(_thread.get_native_id())
        if hasattr(_thread, "start_joinable_thread"):  # joined through its handle
            holder.append(None)
        else:
            sentinel = _thread._set_sentinel()  # type: ignore[attr-defined]
            sentinel.acquire()  # released by the interpreter when this thread's state is gone
            holder.append(sentinel)
            del sentinel
        arrived.release()
        go.acquire()
    if profiler is not None:
        _profiled(job, result, wake, profiler, probes)
        return
    try:
        value = job()
        if collector is not None:
            collector.append((_gc_stats(), _gc_enabled(), _gc_threshold()[0]))
        if isinstance(value, driverkit.Keep):
            result.append(("keep", value.value))
        elif isinstance(value, ModuleType):
            result.append(("module", value))
        else:
            result.append(("ok", *wire.encode(value)))
    except BaseException as exc:  # every learner failure becomes a reply
        result.append(("raised", exc))
    if peaks is not None:
        peaks.append(_tm_get()[1])
    try:
        _os_write(wake, b"!")
    except OSError:
        return


def _profiled(
    job: Callable[[], Any], result: list[Any], wake: int, profiler: Any, probes: tuple[int, int]
) -> None:
    # Collection points depend on the whole process's allocations, the harness thread's
    # too: garbage collected mid-job would add its finalizers' calls to the count.
    _gc_collect()
    _gc_disable()
    profiler.enable()
    for _ in range(probes[0]):
        _probe()
    try:
        value: Any = ("raw", job())
    except BaseException as exc:  # every learner failure becomes a reply
        value = ("raised", exc)
    for _ in range(probes[1]):
        _probe()
    result.append(value)
    _gc_enable()
    _os_write(wake, b"!")


def _collector_start() -> tuple[list[Any], tuple[list[dict[str, int]], int]]:
    """Collect first, so the generations start empty and every call with the same code
    collects at the same points; then the counters the call is measured against."""
    _gc_collect()
    return [], (_gc_stats(), _gc_frozen())


def _collector_figures(
    before: tuple[list[dict[str, int]], int], collector: list[Any]
) -> CollectorFigures:
    """What the garbage collector did during the call, from the interpreter's own counters
    (no Python call resets them), and the cyclic garbage the call left behind: found by a
    collection now, then by another once whatever was frozen is thawed (gc.freeze hides
    garbage from the collector; it does not free it)."""
    stats0, frozen0 = before
    if not collector:  # the job raised before the counters were read
        collector.append((_gc_stats(), _gc_enabled(), _gc_threshold()[0]))
    stats1, enabled, threshold = collector[0]
    frozen = _gc_frozen()
    # Garbage a young collection found after the job (encoding its value can start one)
    # is still the call's garbage: counted from the counters read just before collecting.
    stats2 = _gc_stats()
    left = _gc_collect()
    hidden = 0
    if frozen:
        _gc_unfreeze()
        hidden = _gc_collect()
    return {
        "collections": [stats1[g]["collections"] - stats0[g]["collections"] for g in range(3)],
        "collected": sum(stats2[g]["collected"] - stats0[g]["collected"] for g in range(3)),
        "left": left,
        "hidden": hidden,
        "frozen": frozen - frozen0,
        "enabled": enabled,
        "threshold": threshold,
    }


class Harness:
    """The subject's state that is not secret: the module, the driver, kept objects."""

    def __init__(self, sock: socket.socket, reader: wire.FrameReader, boot: SubjectBoot) -> None:
        self.sock = sock
        self.boot = boot
        self.channel = Channel(sock)
        self.reader = reader
        self.workdir = Path(boot["workdir"])
        self.learner_files = tuple(str(self.workdir / name) for name in boot["files"])
        self.module: ModuleType | None = None
        self.entries: dict[str, Callable[..., Any]] = {}
        self.kept: dict[int, Any] = {}
        self.ids = itertools.count(1)
        self.rules = guard.Rules(
            self.workdir,
            tuple(Path(p) for p in boot["hidden"]),
            grading=boot["grading"],
            serve_loopback=boot["serve_loopback"],
            allow_sqlite=boot["allow_sqlite"],
            driver_name=boot["driver_name"],
        )
        self.wake_r, self.wake_w = os.pipe()
        self.sock_fd = sock.fileno()
        self.poller = select.poll()
        self.poller.register(self.sock_fd, select.POLLIN)
        self.poller.register(self.wake_r, select.POLLIN)

    def setup(self) -> ConfinementData:
        """Limits, driver, instruments, confinement, guard: all before the learner's code."""
        memory = int(self.boot["memory_bytes"])
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        sys.path.insert(0, str(self.workdir))
        os.chdir(self.workdir)
        self._load_driver()
        report = confine.confine(
            [Path(p) for p in self.boot["read_roots"]],
            [Path(p) for p in self.boot["list_roots"]],
            self.workdir,
            [Path(p) for p in self.boot["hidden"]],
            int(self.boot["grader_pid"]),
            self.boot["serve_loopback"],
        )
        if self.boot["grading"]:
            guard.tripwire(
                tracemalloc,
                ("start", "stop", "reset_peak", "clear_traces"),
                "the check measures memory with tracemalloc; use `perfcoach lab profile "
                "--with memory` to look at your own",
            )
            import _tracemalloc

            guard.tripwire(
                _tracemalloc,
                ("start", "stop", "reset_peak", "clear_traces"),
                "the check measures memory with tracemalloc",
            )
        guard.install(self.rules)
        return report.to_json()

    def _load_driver(self) -> None:
        source = self.boot["driver_source"]
        module = ModuleType(DRIVER_MODULE)
        module.__file__ = self.boot["driver_name"]
        sys.modules[DRIVER_MODULE] = module
        exec(compile(source, self.boot["driver_name"], "exec"), module.__dict__)
        self.entries = {
            name: value
            for name, value in vars(module).items()
            if callable(value) and not name.startswith("_")
        }

    def resolve(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """Arguments with service handles turned into proxies and Refs into kept objects."""
        out = []
        for arg in args:
            marker = wire.unpack_arg(arg)
            if isinstance(marker, wire.Handle):
                out.append(driverkit.proxy(marker.kind, self.channel, marker.id))
            elif isinstance(marker, wire.Ref):
                if marker.id not in self.kept:
                    raise KeyError(f"no kept object #{marker.id}")
                out.append(self.kept[marker.id])
            else:
                out.append(arg)
        return tuple(out)

    def job(self, request: ImportRequest | CallRequest) -> Callable[[], Any]:
        """The zero-argument callable a worker thread runs for this request."""
        if request["op"] == "import":
            main = self.workdir / self.boot["files"][0]
            name = Path(main).stem
            return lambda: load_module(main, name)
        entry = self.entries.get(request["fn"])
        if entry is None:
            raise KeyError(f"the lab's driver has no function {request['fn']!r}")
        module, args = self.module, self.resolve(request["args"])
        profile = request.get("profile")
        if profile:
            return self._profiled(profile, lambda: entry(module, *args))
        return lambda: entry(module, *args)

    def _profiled(self, kind: str, run: Callable[[], Any]) -> Callable[[], Any]:
        from perfcoach.measure import profilers

        files = [Path(p) for p in self.learner_files]
        if kind == "cprofile":
            return lambda: profilers.cprofile_top(run, files, 15)
        if kind == "memory":
            return lambda: profilers.memory_report(run, files, 15)
        return run

    def run(self, request: ImportRequest | CallRequest) -> SubjectReply:
        """Run one request on a fresh worker thread, measuring what it asks; the reply."""
        try:
            job = self.job(request)
        except (KeyError, TypeError) as exc:
            return {"id": request["id"], "status": "bug", "message": str(exc)}
        memory = bool(request.get("memory"))
        profiler = None
        probes = (random.randint(3, 9), random.randint(3, 9))
        if request.get("calls"):
            import _lsprof

            profiler = _lsprof.Profiler()
        result: list[Any] = []
        peaks: list[int] | None = [] if memory and profiler is None else None
        collector: list[Any] | None = None
        if request.get("collector") and profiler is None and not memory:
            collector, before = _collector_start()
        if self.boot["grading"]:
            go, join, native_id = _start_worker(
                _worker, (job, result, self.wake_w, profiler, probes, peaks, collector)
            )
        else:  # profiling: a thread the profilers know about (scalene follows these)
            worker = threading.Thread(
                target=_worker, args=(None, None, job, result, self.wake_w, None, probes)
            )
            go, join = worker.start, worker.join
        flags: list[str] = []
        started = False
        keep_alive = None
        if memory:
            if not _tm_tracing():
                _tm_start()
                started = True
            keep_alive = bytearray(64 * 1024)  # traced: its trace vanishes if tracing restarts
            _tm_reset()
        highest = array("q", [0]) if memory else None
        room: list[Any] = [bytearray(_SAMPLER_ROOM) if memory else None]
        base = _tm_get()[0] if memory else 0
        if highest is not None:
            highest[0] = base
        go()
        if not self.boot["grading"]:
            native_id = worker.native_id or 0
        timeout = SAMPLE_EVERY_MS if memory else None
        while True:
            ready = _wait(self.poller, self.sock_fd, timeout, highest, room)
            if ready & 1:
                self._read_answers()
            if ready & 2:
                _os_read(self.wake_r, 4096)
                if result:
                    break
        join()
        reply: SubjectReply = {"id": request["id"], "status": "ok", "worker": native_id}
        if memory:
            peak = peaks[-1] if peaks else _tm_get()[1]
            if not _tm_tracing() or _tm_traceback(keep_alive) is None:
                flags.append("tracemalloc was stopped or restarted while your code ran")
            elif highest is not None and peak + _PEAK_SLACK < highest[0]:
                flags.append("tracemalloc's peak was reset while your code ran")
            reply["peak"] = max(0, peak - base)
            del keep_alive
            if started:
                _tm_stop()
        if collector is not None:
            reply["collector"] = _collector_figures(before, collector)
        if profiler is not None:
            entries = profiler.getstats()
            seen = sum(e.callcount for e in entries if e.code is _probe.__code__)
            if seen != sum(probes):
                flags.append("the profiler's counts were cleared while your code ran")
            counted = sum(
                e.callcount
                for e in entries
                if e.code is not _probe.__code__ and "_lsprof.Profiler" not in str(e.code)
            )
            reply["calls"] = counted - _POST_JOB_CALLS
        reply["flags"] = flags
        reply["refusals"] = dict(self.rules.refusals)
        return self._outcome(result[-1], reply)

    def _outcome(self, outcome: tuple[Any, ...], reply: SubjectReply) -> SubjectReply:
        kind = outcome[0]
        if kind == "raw":  # a profiled job: sorted and encoded here, after the count
            value = outcome[1]
            if isinstance(value, driverkit.Keep):
                outcome = ("keep", value.value)
            elif isinstance(value, ModuleType):
                outcome = ("module", value)
            else:
                outcome = ("ok", *wire.encode(value))
            kind = outcome[0]
        if kind == "ok":
            reply["out"], reply["markers"] = outcome[1], outcome[2]
        elif kind == "keep":
            ref = next(self.ids)
            self.kept[ref] = outcome[1]
            reply["ref"] = ref
        elif kind == "module":
            self.module = outcome[1]
        else:
            reply["status"] = "raised"
            reply["error"] = describe(outcome[1], self.learner_files)
        return reply

    def _read_answers(self) -> None:
        self.reader.fill()
        if self.reader.closed:
            os._exit(0)  # the grader is gone: nobody is left to answer
        for kind, payload in self.reader.frames():
            if kind == b"A":
                self.channel.deliver(payload)
            else:  # only "bye" may interrupt a call: the grader is done with this process
                os._exit(0)

    def next_request(self) -> SubjectRequest:
        """Block until the grader's next request (answers to stray calls are delivered)."""
        while True:
            for kind, payload in self.reader.frames():
                if kind == b"Q":
                    request: SubjectRequest = wire.loads(payload)
                    return request
                if kind == b"A":
                    self.channel.deliver(payload)
            self.reader.fill()
            if self.reader.closed:
                os._exit(0)


def fork_blank() -> tuple[int, socket.socket]:
    """A subject forked now, waiting for its boot frame on the returned socket's peer.

    A grader forks these before it reads its spec, so the memory a blank copies holds
    nothing secret to the grade, and the blank has the harness imported already: a check
    then starts no interpreter for its subjects. A blank whose grader closes the socket
    before any boot frame (one the check did not need) just exits.
    """
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid:
        theirs.close()
        return pid, ours
    code = 1
    try:
        os.dup2(theirs.detach(), 0)
        ours.detach()
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        _forget_grader_modules()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        sys.argv = [__file__, "0"]
        with socket.socket(fileno=os.dup(0)) as peek:  # blocks until a frame or the end
            if not peek.recv(1, socket.MSG_PEEK):
                os._exit(0)
        code = main(["0"])
    except BaseException:
        traceback.print_exc()
    finally:
        end_fork(code)


def end_fork(code: int) -> NoReturn:
    """Leave a forked child: flush what it printed, and exit without running what its
    parent registered (atexit handlers, finalizers of objects that are the parent's)."""
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _forget_grader_modules() -> None:
    """Leave a forked subject with the perfcoach modules a fresh one has: the grader's, the
    bench kit's and the zygote's are gone from sys.modules and from their packages, so
    importing one is the audited import the guard refuses, as in a fresh subject."""
    for name in [n for n in sys.modules if n.startswith("perfcoach.")]:
        if name not in HARNESS_MODULES:
            del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent in sys.modules:
                vars(sys.modules[parent]).pop(child, None)
    sys.modules["__main__"] = sys.modules[__name__]


def main(argv: list[str]) -> int:
    """Serve the grader until it says bye; the key never leaves this frame's locals."""
    sock = socket.socket(fileno=int(argv[0]))
    confine.set_name(SUBJECT_NAME)
    reader = wire.FrameReader(sock)
    boot: SubjectBoot = wire.loads(reader.read_one()[1])
    key = boot.pop("key")
    # A subject forked from its grader (fork_blank) starts here with the grader's
    # environment (and folder: setup() moves to its own); one started fresh has its own.
    os.environ.clear()
    os.environ.update(boot.pop("env"))
    harness = Harness(sock, reader, boot)
    try:
        confinement = harness.setup()
    except Exception as exc:  # a broken driver is the lab's bug, reported as such
        failed: SubjectReply = {"id": 0, "status": "bug", "message": repr(exc)}
        harness.channel.send(b"C", wire.dumps(failed), key)
        return 1
    ready: SubjectReply = {"id": 0, "status": "ok", "confinement": confinement}
    harness.channel.send(b"C", wire.dumps(ready), key)
    while True:
        request = harness.next_request()
        if request["op"] == "bye":
            return 0
        if request["op"] == "drop":
            harness.kept.pop(request["ref"], None)
            continue
        reply = harness.run(request)
        harness.channel.send(b"C", wire.dumps(reply), key)


if __name__ == "__main__":
    from perfcoach.runner.subject import main as package_main  # one copy of every class

    code = package_main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
