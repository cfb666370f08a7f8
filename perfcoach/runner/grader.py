"""The grader process: the lab's bench, its reference and its services, and the subjects.

Started by perfcoach as `python -m perfcoach.runner.grader RESULT_FD` with the spec on
stdin. It is the only process that knows the seed, computes expected values, compares
outputs, times anything, and writes the result, which goes to a pipe that only the parent
holds. The learner's module runs in a subject process (runner/subject.py) that this
process starts, feeds and measures from outside:

- time: the grader's own wall clock around each request, and the subject's CPU clock read
  from the kernel (plus the grader's CPU spent serving that subject's service calls);
- service calls and events: counted here, where the learner's code cannot reach;
- replies: signed with a key only the subject's harness thread holds.

A subject that exits, crashes or breaks the protocol ends the check with an error.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from perfcoach.runner import wire
from perfcoach.runner.confine import set_name
from perfcoach.runner.contracts import (
    AnswerFrame,
    CallRequest,
    CollectorFigures,
    ConfinementData,
    ErrorInfo,
    EventFrame,
    GraderResult,
    GraderSpec,
    ImportRequest,
    ServiceAnswer,
    ServiceCall,
    SubjectBoot,
    SubjectReply,
    SubjectRequest,
)
from perfcoach.runner.subject import fork_blank
from perfcoach.runner.zygote import startup_env

BOOT_TIMEOUT_S = 30.0
_CPUCLOCK_SCHED = 2
# How long threads() waits for a finished request's thread to leave the kernel's list.
WORKER_EXIT_WAIT_S = 0.5


class LabBug(Exception):
    """The lab's bench or driver did something wrong: not the learner's fault."""


class SubjectDied(Exception):
    """The subject process ended in the middle of a request."""

    def __init__(self, message: str, returncode: int | None) -> None:
        super().__init__(message)
        self.returncode = returncode


class LearnerError(Exception):
    """The learner's code raised; `error` is the subject's description of it."""

    def __init__(self, error: ErrorInfo) -> None:
        super().__init__(str(error.get("message")))
        self.error = error


class Refusal(Exception):
    """Raised by a service method to refuse a call; the message reaches the learner's code."""


@dataclass(frozen=True)
class Later:
    """A service answer to deliver after delay_s (simulated latency, without blocking)."""

    value: Any
    delay_s: float
    then: Callable[[], None] | None = None


@dataclass
class Reply:
    """What one request to a subject gave back, and what it cost."""

    value: Any = None
    ref: wire.Ref | None = None
    peak: int | None = None
    calls: int | None = None
    collector: CollectorFigures | None = None  # what the garbage collector did, when asked
    flags: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    cpu_s: float = 0.0


@dataclass
class Pending:
    """A call sent to a subject whose reply has not been read yet."""

    subject: Subject
    request_id: int
    start: float
    cpu0: float | None
    serve0: float

    def result(self) -> Reply:
        """Wait for the reply (serving every busy subject meanwhile); raise what it raised."""
        return self.subject._finish(self.request_id, self.start, self.cpu0, self.serve0)


class EventSink:
    """The grader's end of an EventLog: every record the driver wrote, in order."""

    def __init__(self, on_record: Callable[[tuple[Any, ...]], None] | None = None) -> None:
        self.records: list[tuple[Any, ...]] = []
        self.on_record = on_record

    def append(self, record: tuple[Any, ...]) -> None:
        """Keep a record (and hand it to on_record, which may keep its own tallies)."""
        self.records.append(record)
        if self.on_record is not None:
            self.on_record(record)

    def take(self) -> list[tuple[Any, ...]]:
        """The records so far, emptying the sink."""
        records, self.records = self.records, []
        return records


class Services:
    """Grader-side objects that subjects call through handles, and their delayed answers."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self.kinds: dict[int, str] = {}
        self.owners: dict[int, Subject] = {}
        self.ids = itertools.count(1)
        self.timers: list[
            tuple[float, int, Subject, int, ServiceAnswer, Callable[[], None] | None]
        ] = []
        self.order = itertools.count()
        self.serve_cpu = 0.0

    def add(self, obj: Any, kind: str = "remote") -> wire.Handle:
        """Register obj; the handle can be passed as an argument to any subject call."""
        handle = next(self.ids)
        self.objects[handle] = obj
        self.kinds[handle] = kind
        return wire.Handle(handle, kind)

    def bind(self, handle: wire.Handle, subject: Subject) -> None:
        """A handle belongs to the first subject it is passed to: no other may call it (the
        learner's process must not reach the starter's database by guessing a number)."""
        owner = self.owners.setdefault(handle.id, subject)
        if owner is not subject:
            raise LabBug(
                f"service #{handle.id} was passed to the {subject.role} after the "
                f"{owner.role}: give each subject its own service"
            )

    def next_due(self) -> float | None:
        """Seconds until the next delayed answer is due, or None."""
        if not self.timers:
            return None
        return max(0.0, self.timers[0][0] - time.perf_counter())

    def fire_due(self) -> None:
        """Send every delayed answer whose time has come."""
        now = time.perf_counter()
        while self.timers and self.timers[0][0] <= now:
            _, _, subject, call_id, answer, then = heapq.heappop(self.timers)
            if then is not None:
                then()
            subject.answer(call_id, answer)

    def call(self, subject: Subject, payload: bytes) -> None:
        """Serve one R frame: dispatch, then answer now or schedule the answer."""
        try:
            frame: ServiceCall = wire.loads(payload)
            call_id, handle, method, args = frame
        except (ValueError, TypeError) as exc:
            raise wire.WireError(f"a malformed service call ({exc})") from None
        start = time.thread_time()
        try:
            if self.owners.get(handle) is not subject:
                raise Refusal(f"no service #{handle!r}")
            value = self._dispatch(handle, method, args)
        except Refusal as exc:
            subject.answer(call_id, ("err", str(exc)))
            return
        finally:
            self.serve_cpu += time.thread_time() - start
        if isinstance(value, Later):
            due = time.perf_counter() + value.delay_s
            heapq.heappush(
                self.timers,
                (due, next(self.order), subject, call_id, ("ok", value.value), value.then),
            )
        else:
            subject.answer(call_id, ("ok", value))

    def _dispatch(self, handle: Any, method: Any, args: Any) -> Any:
        obj = self.objects.get(handle) if isinstance(handle, int) else None
        if obj is None or self.kinds.get(handle) == "log":
            raise Refusal(f"no service #{handle!r}")
        if not isinstance(method, str) or method.startswith("_") or not isinstance(args, tuple):
            raise Refusal(f"no such call {method!r}")
        bound = getattr(obj, method, None)
        if bound is None or not callable(bound):
            raise Refusal(f"the service has no method {method!r}")
        try:
            return bound(*args)
        except Refusal:
            raise
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            raise Refusal(f"{type(exc).__name__}: {exc}") from None

    def event(self, subject: Subject, payload: bytes) -> None:
        """Serve one E frame: append the record to its log."""
        try:
            frame: EventFrame = wire.loads(payload)
            handle, record = frame
        except (ValueError, TypeError) as exc:
            raise wire.WireError(f"a malformed event ({exc})") from None
        sink = self.objects.get(handle) if isinstance(handle, int) else None
        if not isinstance(sink, EventSink) or not isinstance(record, tuple):
            raise wire.WireError("an event for no log")
        if self.owners.get(handle) is not subject:
            raise wire.WireError(f"an event for another process's log #{handle}")
        sink.append(record)


@dataclass
class SubjectSpec:
    """How to start one subject: whose code, in which folder, under which limits."""

    role: str  # candidate | baseline | …
    source_dir: Path  # where its lab files come from (learner workspace, or starter/)
    files: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)


class CpuWait:
    """How long a process's threads waited for a CPU during a `with` block: the kernel's
    run-queue time per thread (schedstat), sampled every SAMPLE_S so that a thread which
    ends meanwhile (one per connection in a threading server) counts up to its last sample.
    `seconds` is None where the kernel does not say."""

    SAMPLE_S = 0.005

    def __init__(self, pid: int) -> None:
        self.tasks = f"/proc/{pid}/task"
        self.base: dict[str, int] = {}
        self.last: dict[str, int] = {}
        self.known = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="cpu-wait", daemon=True)

    def __enter__(self) -> CpuWait:
        # Not Linux, no /proc, or a kernel built without schedstat: unknown.
        self.known = os.path.exists(f"{self.tasks}/../schedstat")
        self.base = self._read()
        self.last = dict(self.base)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.last.update(self._read())

    @property
    def seconds(self) -> float | None:
        """Every thread's wait since the block began; a thread born in it from zero."""
        if not self.known:
            return None
        return sum(ns - self.base.get(tid, 0) for tid, ns in self.last.items()) / 1e9

    def _watch(self) -> None:
        while not self._stop.wait(self.SAMPLE_S):
            self.last.update(self._read())

    def _read(self) -> dict[str, int]:
        waits: dict[str, int] = {}
        try:
            tids = os.listdir(self.tasks)
        except OSError:  # the process has ended: its last samples stand
            return waits
        for tid in tids:
            try:
                with open(f"{self.tasks}/{tid}/schedstat", "rb") as stats:
                    waits[tid] = int(stats.read().split()[1])
            except FileNotFoundError:  # a thread that ended since the listing
                continue
            except (OSError, ValueError, IndexError):
                self.known = False
        return waits


class Subject:
    """A running subject process, seen from the grader: requests in, signed replies out."""

    def __init__(self, grader: Grader, spec: SubjectSpec) -> None:
        self.grader = grader
        self.role = spec.role
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{spec.role}-", dir=grader.root))
        for name in spec.files:
            shutil.copyfile(spec.source_dir / name, self.workdir / name)
        self.files = spec.files
        self.key = secrets.token_bytes(32)
        env = dict(grader.subject_env, **spec.env)
        env["HOME"] = env["TMPDIR"] = str(self.workdir)
        self.env = env
        self.wrapped = grader.wrap is not None and spec.role == "candidate"
        # A forked subject has the grader's interpreter: not for one asked to start under
        # other interpreter settings (sharding's PYTHONHASHSEED), nor under a profiler.
        forkable = not self.wrapped and not startup_env(spec.env)
        blank = grader.blanks.pop(0) if forkable and grader.blanks else None
        self.proc: subprocess.Popen[bytes] | Forked
        if blank is not None:
            pid, ours = blank
            self.proc = Forked(pid)
        else:
            ours, theirs = socket.socketpair()
            # The socket is the subject's stdin: an fd that survives a profiler (scalene)
            # that starts the program in a process of its own.
            # -P: the working directory never shadows perfcoach (a checkout of it, a
            # learner's file named like it); the harness puts the learner's folder on the
            # path itself.
            command = [sys.executable, "-P", "-m", SUBJECT_MODULE, "0", str(os.getpid())]
            if self.wrapped:
                assert grader.wrap is not None
                command = grader.wrap(self.workdir, command)
            self.proc = subprocess.Popen(command, cwd=self.workdir, env=env, stdin=theirs.fileno())
            theirs.close()
        self.sock = ours
        self.reader = wire.FrameReader(ours, signed=b"C", key=self.key)
        self.ids = itertools.count(1)
        self.wall_s = 0.0
        self.cpu_s = 0.0
        self.confinement: ConfinementData | None = None  # known once the subject is up
        self.refusals: dict[str, int] = {}
        self.paused = False
        self._booted = False
        self.in_flight: set[int] = {0}  # request ids sent and not yet answered; 0 is the boot
        self.replies: dict[int, SubjectReply] = {}  # answers read while serving others
        self.ended_workers: set[int] = set()  # threads that ran a request, maybe still listed
        self.broken: wire.WireError | None = None
        # Held by the thread reading this subject's socket: a bench may wait on several
        # subjects from threads of its own, and only one reader may take a frame.
        self.reading = threading.Lock()
        self._boot(spec)
        self._import_id = self._send({"op": "import", "id": next(self.ids)})

    def _boot(self, spec: SubjectSpec) -> None:
        boot: SubjectBoot = {
            "key": self.key,
            "env": self.env,
            "workdir": str(self.workdir),
            "files": list(spec.files),
            "driver_source": self.grader.driver_source,
            "driver_name": self.grader.driver_name,
            "read_roots": [str(p) for p in self.grader.read_roots],
            "list_roots": [str(p) for p in self.grader.list_roots],
            "hidden": [str(p) for p in self.grader.hidden],
            "grading": self.grader.grading,
            "serve_loopback": self.grader.serve_loopback,
            "allow_sqlite": False,
            "memory_bytes": self.grader.memory_bytes,
            # Under a profiler (scalene) the harness's parent is the profiler's launcher,
            # which the grader's group kill ends: 0 skips the parent check.
            "grader_pid": 0 if self.wrapped else os.getpid(),
        }
        self.sock.sendall(wire.frame(b"Q", wire.dumps(boot)))

    def ready(self) -> None:
        """Wait until the subject has booted and imported its module (once)."""
        self._ready()

    def _ready(self) -> None:
        """Wait for the boot reply, then import the module; both once, on first use."""
        if self._booted:
            return
        self._booted = True
        reply = self._await(0)
        if reply.get("status") != "ok":
            raise LabBug(f"the {self.role} subject could not start: {reply.get('message')}")
        self.confinement = reply.get("confinement")
        self._finish(self._import_id, time.perf_counter(), None, 0.0)

    def call(
        self,
        fn: str,
        *args: Any,
        memory: bool = False,
        calls: bool = False,
        profile: str | None = None,
        collector: bool = False,
    ) -> Reply:
        """Run the driver's fn(module, *args) in the subject; its value, and what it cost."""
        return self.start(
            fn, *args, memory=memory, calls=calls, profile=profile, collector=collector
        ).result()

    def start(
        self,
        fn: str,
        *args: Any,
        memory: bool = False,
        calls: bool = False,
        profile: str | None = None,
        collector: bool = False,
    ) -> Pending:
        """Send the call and return at once; Pending.result() waits for its Reply. While the
        grader waits on one subject it serves every subject with a call in flight, so two
        subjects can work side by side when nothing is being timed (never time this way)."""
        self._ready()
        for arg in args:
            if isinstance(arg, wire.Handle):
                self.grader.services.bind(arg, self)
        request: CallRequest = {
            "op": "call",
            "fn": fn,
            "args": wire.pack_args(args),
            "memory": memory,
            "calls": calls,
            "profile": profile,
            "collector": collector,
            "id": next(self.ids),
        }
        self.resume()
        cpu0, serve0 = self.cpu_seconds(), self.grader.services.serve_cpu
        start = time.perf_counter()
        return Pending(self, self._send(request), start, cpu0, serve0)

    def run(self, fn: str, *args: Any) -> Any:
        """Shorthand: call fn and return only its value."""
        return self.call(fn, *args).value

    def drop(self, ref: wire.Ref) -> None:
        """Let the subject forget a kept object."""
        self._post({"op": "drop", "ref": ref.id})

    def _send(self, request: ImportRequest | CallRequest) -> int:
        """Send a request that is answered; its id, to wait for the reply by."""
        self.in_flight.add(request["id"])
        self._post(request)
        return request["id"]

    def _post(self, request: SubjectRequest) -> None:
        """One request frame; drop and bye are not answered, so nothing waits for them."""
        self.sock.sendall(wire.frame(b"Q", wire.dumps(request)))

    def _finish(self, request_id: int, start: float, cpu0: float | None, serve0: float) -> Reply:
        """Wait for the reply to request_id; account its cost; raise what it raised."""
        try:
            reply = self._await(request_id)
        except SubjectDied as exc:
            if not self.role.startswith("candidate"):
                raise LabBug(f"the {self.role} process ended: {exc}") from None
            raise
        wall = time.perf_counter() - start
        cpu1 = self.cpu_seconds()
        # Where the kernel cannot tell a process's CPU time (not Linux), none is counted.
        cpu = (cpu1 - cpu0) if cpu1 is not None and cpu0 is not None else 0.0
        cpu += self.grader.services.serve_cpu - serve0
        self.wall_s += wall
        self.cpu_s += cpu
        self.refusals = dict(reply.get("refusals") or {})
        status = reply.get("status")
        if status == "bug":
            raise LabBug(str(reply.get("message")))
        if status == "raised":
            error = cast(ErrorInfo, dict(reply.get("error") or {}))
            if not self.role.startswith("candidate"):
                raise LabBug(f"the starter raised in the {self.role}: {error.get('message')}")
            raise LearnerError(error)
        value = None
        if "out" in reply:
            value = wire.decode(reply["out"], bool(reply.get("markers")))
        ref = wire.Ref(reply["ref"]) if "ref" in reply else None
        return Reply(
            value=value,
            ref=ref,
            peak=reply.get("peak"),
            calls=reply.get("calls"),
            collector=reply.get("collector"),
            flags=list(reply.get("flags") or []),
            wall_s=wall,
            cpu_s=cpu,
        )

    def _await(self, request_id: int) -> SubjectReply:
        """Serve this subject's service calls and events until its reply to request_id."""
        try:
            return self._serve_until(request_id)
        except wire.WireError as exc:
            self.proc.kill()
            raise SubjectDied(
                f"the process running your code broke its connection to the grader ({exc}): "
                "something in it wrote to a socket it does not own, so nothing it reported "
                "can be trusted",
                None,
            ) from None

    def _serve_until(self, request_id: int) -> SubjectReply:
        with self.reading:
            return self._serve_locked(request_id)

    def _serve_locked(self, request_id: int) -> SubjectReply:
        services = self.grader.services
        while True:
            if self.broken is not None:
                raise self.broken
            self._take_frames()
            if request_id in self.replies:
                return self.replies.pop(request_id)
            if self.reader.closed:
                raise self._died()
            aside = [
                other
                for other in self.grader.subjects
                if other is not self
                and other.in_flight
                and other.broken is None
                and not other.reader.closed
                and other.reading.acquire(blocking=False)
            ]
            try:
                waiting = {self.sock: self, **{other.sock: other for other in aside}}
                ready, _, _ = select.select(list(waiting), [], [], services.next_due())
                services.fire_due()
                for sock in ready:
                    subject = waiting[sock]
                    if subject is self:
                        self.reader.fill()
                    else:
                        subject._serve_aside()
            finally:
                for other in aside:
                    other.reading.release()

    def _serve_aside(self) -> None:
        """Read and serve this subject's frames while the grader waits on another; a broken
        connection is kept for whoever waits on this subject next."""
        try:
            self.reader.fill()
            self._take_frames()
        except wire.WireError as exc:
            self.broken = exc

    def _take_frames(self) -> None:
        """Handle every frame read so far: serve calls and events, keep replies by id."""
        services = self.grader.services
        for kind, payload in self.reader.frames():
            if kind == b"C":
                reply = wire.loads(payload)
                if not isinstance(reply, dict) or reply.get("id") not in self.in_flight:
                    raise wire.WireError("a reply to a request that was not asked")
                self.in_flight.discard(reply["id"])
                self.replies[reply["id"]] = cast(SubjectReply, reply)
                if isinstance(reply.get("worker"), int):
                    self.ended_workers.add(reply["worker"])
            elif kind == b"R":
                services.call(self, payload)
            elif kind == b"E":
                services.event(self, payload)
            else:
                raise wire.WireError(f"an unknown frame type {kind!r}")

    def answer(self, call_id: int, answer: ServiceAnswer) -> None:
        """Send a service answer (the subject may have gone: then there is nobody to tell)."""
        frame: AnswerFrame = (call_id, answer)
        with contextlib.suppress(OSError):
            self.sock.sendall(wire.frame(b"A", wire.dumps(frame)))

    def _died(self) -> SubjectDied:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None and code < 0:
            how = f"was killed by signal {signal.Signals(-code).name}"
            if -code == signal.SIGKILL:
                how += " (most likely for using too much memory)"
        elif code is not None:
            how = f"exited with status {code}"
        else:
            how = "closed its connection"
        return SubjectDied(
            f"the process running your code {how} before it replied: did the code call "
            "os._exit(), or crash the interpreter?",
            code,
        )

    def cpu_seconds(self) -> float | None:
        """The subject's CPU seconds, from the kernel's clock for that process (Linux)."""
        try:
            return time.clock_gettime(((~self.proc.pid) << 3) | _CPUCLOCK_SCHED)
        except (OSError, AttributeError, OverflowError):
            return None

    def cpu_wait(self) -> CpuWait:
        """A watch, for a `with` block, of how long this subject's threads stood ready to run
        with no CPU to run on: what a busy machine took from it (Linux; see CpuWait)."""
        return CpuWait(self.proc.pid)

    def threads(self) -> int:
        """How many threads the subject has right now (Linux; 0 when unknown).

        A worker that ran an earlier request has returned, but the kernel may list it a
        moment longer: counted, it would be a thread the learner never made. Wait it out.
        """
        tasks = f"/proc/{self.proc.pid}/task"
        deadline = time.monotonic() + WORKER_EXIT_WAIT_S
        while self.ended_workers:
            try:
                listed = {int(name) for name in os.listdir(tasks)}
            except (OSError, ValueError):
                return 0
            self.ended_workers &= listed
            if not self.ended_workers or time.monotonic() > deadline:
                break
            time.sleep(0.0001)
        try:
            return len(os.listdir(tasks))
        except OSError:
            return 0

    def peak_rss_kib(self) -> int | None:
        """The subject's peak resident memory so far (VmHWM), in KiB (Linux)."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            return None
        return None

    def reset_peak_rss(self) -> None:
        """Start a new peak-RSS window (Linux: writing 5 to clear_refs)."""
        with contextlib.suppress(OSError):
            Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")

    def pause(self) -> None:
        """Stop the subject (SIGSTOP) so it cannot run while another side is timed."""
        if not self.paused and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGSTOP)
            self.paused = True

    def resume(self) -> None:
        """Let a paused subject run again."""
        if self.paused:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGCONT)
            self.paused = False

    def close(self, grace_s: float = 0.5) -> None:
        """End the subject: ask politely, then kill it (it may be stuck in learner code)."""
        self.resume()
        with contextlib.suppress(OSError):
            self._post({"op": "bye", "id": 0})
        try:
            self.proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()


class Grader:
    """Everything one check's grader process owns: its folder, the subjects, the services."""

    def __init__(
        self, spec: GraderSpec, blanks: list[tuple[int, socket.socket]] | None = None
    ) -> None:
        self.spec = spec
        # Subjects forked before the spec was read, not used yet; without any (perfcoach's
        # doctor probes a subject in-process), each subject starts a fresh interpreter.
        self.blanks = [] if blanks is None else blanks
        self.lab_dir = Path(spec["lab_dir"])
        self.root = Path(tempfile.mkdtemp(prefix="perfcoach-grade-"))
        self.scratch = self.root / "grader"
        self.scratch.mkdir()
        self.services = Services()
        driver = self.lab_dir / "driver.py"
        self.driver_source = driver.read_text(encoding="utf-8")
        self.driver_name = f"<{self.lab_dir.name}/driver.py>"
        self.grading = spec.get("mode", "grade") == "grade"
        self.serve_loopback = bool(spec.get("serve_loopback"))
        self.memory_bytes = int(spec.get("memory_bytes", 0))
        self.read_roots = [Path(p) for p in spec["read_roots"]]
        self.list_roots = [Path(p) for p in spec["list_roots"]]
        self.hidden = [Path(p) for p in spec["hidden"]] + [self.root]
        self.subject_env = _subject_env()
        self.wrap: Callable[[Path, list[str]], list[str]] | None = None
        self.subjects: list[Subject] = []
        self.candidate: Subject | None = None
        self.baseline: Subject | None = None

    def spawn(self, spec: SubjectSpec) -> Subject:
        """Start a subject now (it boots while the bench builds its data)."""
        subject = Subject(self, spec)
        self.subjects.append(subject)
        return subject

    def start_subjects(self) -> None:
        """Start the candidate (and the baseline, when something is timed) first thing, so
        they boot while this process imports the bench and builds its data."""
        files = tuple(self.spec["files"])
        if self.spec.get("mode") == "scalene":
            self.wrap = _scalene_wrap
        self.candidate = self.spawn(
            SubjectSpec("candidate", Path(self.spec["candidate_dir"]), files)
        )
        if self.spec.get("timed"):
            self.baseline = self.spawn(SubjectSpec("baseline", self.lab_dir / "starter", files))

    def close(self) -> None:
        """Stop every subject and remove every file this check made."""
        for subject in self.subjects:
            with contextlib.suppress(Exception):
                subject.close()
        close_blanks(self.blanks)
        shutil.rmtree(self.root, ignore_errors=True)

    def abort(self) -> None:
        """Told to stop (SIGTERM/SIGHUP): kill the subjects at once, then remove the files.
        perfcoach kills the whole group a few seconds after it asks, so a polite bye to a
        subject stuck in learner code would spend that time and leave the folder behind."""
        for subject in self.subjects:
            subject.proc.kill()
        for subject in self.subjects:
            with contextlib.suppress(ChildProcessError):
                subject.proc.wait()
        close_blanks(self.blanks)
        shutil.rmtree(self.root, ignore_errors=True)

    @contextlib.contextmanager
    def only(self, active: Subject) -> Iterator[None]:
        """Pause every other subject while active is being timed (once it is up: a subject
        paused while it boots would only start later)."""
        others = [s for s in self.subjects if s is not active]
        for other in others:
            other.ready()
            other.pause()
        try:
            yield
        finally:
            for other in others:
                other.resume()


SUBJECT_MODULE = "perfcoach.runner.subject"
GRADER_NAME = "pc-grader"  # as ps shows it, however it started (zygote.py)
SCALENE_SCRIPT = "perfcoach_subject.py"  # what scalene runs: the harness, not learner code


def _scalene_wrap(workdir: Path, command: list[str]) -> list[str]:
    """Run the candidate subject under scalene, profiling only the learner's files."""
    from perfcoach.measure.profilers import scalene_command

    script = workdir / SCALENE_SCRIPT
    script.write_text(
        "import sys\nfrom perfcoach.runner.subject import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    args = command[command.index(SUBJECT_MODULE) + 1 :]
    return scalene_command(script, args, workdir / "scalene.json", workdir)


def _subject_env() -> dict[str, str]:
    """The subject's environment: no perfcoach settings, perfcoach importable, quiet."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFCOACH_")}
    if os.environ.get("PERFCOACH_DEBUG"):
        env["PERFCOACH_DEBUG"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


def main(argv: list[str]) -> int:
    """Read the spec from stdin, grade, write one JSON result to the result fd."""
    result_fd, subjects = int(argv[0]), int(argv[1])
    set_name(GRADER_NAME)
    # The bench's processes (the candidate's, the baseline's, those it spawns), forked
    # before the spec (and the seed in it) exists in this process: a fork copies this
    # process's memory. (Without pidfds, not Linux, every subject starts an interpreter.)
    blanks = [fork_blank() for _ in range(subjects)] if hasattr(os, "pidfd_open") else []
    current: list[Grader] = []
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: _terminate(current))
    try:
        spec: GraderSpec = json.loads(sys.stdin.read())
        _die_with_parent(int(spec["parent_pid"]))
    except BaseException:
        close_blanks(blanks)
        raise
    # A stop that came while the folder existed and nothing knew of it would leave it behind:
    # it waits until the grader is on the list.
    stops = {signal.SIGTERM, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        grader = Grader(spec, blanks)
        current.append(grader)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
    try:
        grader.start_subjects()
        from perfcoach.labkit import run_bench

        result: GraderResult = run_bench(grader, spec)
    except BaseException as exc:  # the grader's own failure: a lab bug, reported as data
        result = {
            "status": "bug",
            "message": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc()[-3000:],
        }
    finally:
        grader.close()
    data = json.dumps(result, default=str).encode()
    with os.fdopen(result_fd, "wb") as out:
        out.write(data)
    return 0


def close_blanks(blanks: list[tuple[int, socket.socket]]) -> None:
    """End the forked subjects no check used: each exits when its socket closes."""
    while blanks:
        pid, sock = blanks.pop()
        sock.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


class Forked:
    """A subject this grader forked (fork_blank), seen as a subprocess.Popen is."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        """The exit code if the process has ended, else None."""
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self._ended(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit code; subprocess.TimeoutExpired when timeout passes first."""
        if self.returncode is None:
            ready = select.select([self._pidfd], [], [], timeout)[0]
            if not ready:
                raise subprocess.TimeoutExpired(f"subject {self.pid}", timeout or 0.0)
            try:
                self._ended(os.waitpid(self.pid, 0)[1])
            except ChildProcessError:  # reaped already: its status is lost
                self._ended(0)
        assert self.returncode is not None
        return self.returncode

    def _ended(self, status: int) -> None:
        self.returncode = os.waitstatus_to_exitcode(status)
        os.close(self._pidfd)

    def kill(self) -> None:
        """SIGKILL (it may be gone already; once reaped, its pid may be another's)."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def _terminate(current: list[Grader]) -> None:
    """SIGTERM/SIGHUP (or perfcoach died): stop the subjects, remove the files, exit."""
    for grader in current:
        grader.abort()
    os._exit(143)


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGTERM this process when perfcoach dies (Linux), so the subjects
    and the temporary files go with it, even after a SIGKILL of perfcoach."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(143)


if __name__ == "__main__":
    # Run main from the package module, not __main__, so classes such as Later are the
    # same objects the bench imports through perfcoach.labkit.
    from perfcoach.runner.grader import main as package_main

    sys.exit(package_main(sys.argv[1:]))
