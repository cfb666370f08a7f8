"""The data perfcoach's processes exchange: the grader's spec and result (JSON), and the
grader ↔ subject messages (marshal, framed by wire.py): the boot, the requests, the replies.

TypedDicts keep the wire plain (a dict) while mypy checks both ends: the writer (check.py,
labkit.py, grader.py, subject.py) and the reader (grader.py, labkit.py, check.py,
subject.py). The subject imports this module for type checking only: it loads no more than
it needs beside learner code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NotRequired, Required, TypedDict

if TYPE_CHECKING:
    from perfcoach.measure.latency import LatencyData
    from perfcoach.measure.profilers import Profile

# What the grader runs: the bench's grade(), or its workload() under a profiler.
Mode = Literal["grade", "cprofile", "scalene", "memory"]


class GraderSpec(TypedDict):
    """What the grader process needs to grade (or profile) one candidate's code."""

    mode: Mode
    lab_dir: str
    files: list[str]
    candidate_dir: str
    seed: int
    goals: dict[str, str]  # metric name → goal text (lab.toml)
    plausible: dict[str, list[float]]  # metric name → [low, high] a lab can produce
    timed: bool  # start the baseline subject up front
    memory_bytes: int  # the subjects' address-space limit; 0 for none
    read_roots: list[str]
    list_roots: list[str]
    hidden: list[str]
    time_all: bool  # time every metric, even once a counted one has missed its goal
    counted_only: NotRequired[bool]  # time nothing where the bench counts first (repeat runs)
    parent_pid: NotRequired[int]  # added by run_child: the grader dies with this process
    serve_loopback: NotRequired[bool]


class ErrorInfo(TypedDict):
    """How the learner's code raised, as the subject describes it for the learner."""

    kind: Literal["error", "oom"]
    exception: str
    message: str
    where: str  # 'work.py line 12, in f', or '' outside the learner's files
    traceback: str


class MeasuredData(TypedDict):
    """One metric as the bench measured it (labkit.Measured on the wire)."""

    value: float | None  # None when untimed
    baseline: float | None
    low: float | None
    high: float | None
    detail: str
    untrusted: str  # why the figure cannot be believed; '' when it can
    untimed: bool  # not timed: a counted metric had already missed, the verdict was known
    latency: NotRequired[LatencyData]  # the requests' latencies behind a percentile metric


class GradeData(TypedDict):
    """What bench.grade() found (labkit.Grade on the wire)."""

    correct: bool
    metrics: dict[str, MeasuredData]
    message: str
    notes: list[str]


class ConfinementData(TypedDict):
    """What the sandbox applied to the candidate (confine.Confinement on the wire)."""

    landlock_abi: int
    seccomp: bool
    pdeathsig: bool
    missing: list[str]


# ok: graded (grade) or profiled (profile); raised: the learner's code raised (error);
# died: a subject process ended mid-request; bug: the grader or bench failed; failed:
# a profiler produced nothing.
Status = Literal["ok", "raised", "died", "bug", "failed"]


class GraderResult(TypedDict, total=False):
    """The grader's one answer; which keys are present depends on status (see Status)."""

    status: Required[Status]
    grade: GradeData
    profile: Profile
    refusals: dict[str, int]  # sandbox rule → how often the learner's code tripped it
    confinement: ConfinementData
    error: ErrorInfo
    message: str
    returncode: int | None
    traceback: str


class SubjectBoot(TypedDict):
    """The grader's first frame to a subject: what to load, where, and under which limits."""

    # Always sent; the subject's main() pops it at once, so the harness never holds it.
    key: NotRequired[bytes]
    env: NotRequired[dict[str, str]]  # the subject's environment; popped with the key
    workdir: str
    files: list[str]  # the lab files copied into workdir; the first is the module to import
    driver_source: str
    driver_name: str
    read_roots: list[str]
    list_roots: list[str]
    hidden: list[str]
    grading: bool  # False when profiling: no tripwires, a thread profilers can follow
    serve_loopback: bool
    allow_sqlite: bool
    memory_bytes: int  # the address-space limit; 0 for none
    grader_pid: int  # the parent the subject dies with; 0 under a profiler's launcher


class ImportRequest(TypedDict):
    """Import the learner's module (sent once, right after the boot)."""

    op: Literal["import"]
    id: int


class CallRequest(TypedDict):
    """Run the driver's fn(module, *args), measuring what is asked."""

    op: Literal["call"]
    fn: str
    args: tuple[Any, ...]  # wire.pack_args: Handles and Refs as markers
    memory: bool  # measure the peak of traced memory
    calls: bool  # count the function calls
    profile: str | None  # 'cprofile' or 'memory': run under that profiler
    collector: NotRequired[bool]  # watch the garbage collector (CollectorFigures)
    id: int


class DropRequest(TypedDict):
    """Forget a kept object; nothing is replied."""

    op: Literal["drop"]
    ref: int


class ByeRequest(TypedDict):
    """The grader is done: the subject exits."""

    op: Literal["bye"]
    id: int


SubjectRequest = ImportRequest | CallRequest | DropRequest | ByeRequest

# ok: booted, imported or returned; raised: the code raised (error); bug: the boot, the
# driver or the request was broken (message).
ReplyStatus = Literal["ok", "raised", "bug"]


class CollectorFigures(TypedDict):
    """What the garbage collector did during one call, from the interpreter's counters."""

    collections: list[int]  # per generation: 0, 1, 2 (full)
    collected: int  # cyclic garbage the collections found during the call
    left: int  # cyclic garbage a collection found after the call
    hidden: int  # ... and more once objects frozen with gc.freeze were thawed
    frozen: int  # objects frozen (gc.freeze) during the call
    enabled: bool  # gc.isenabled() when the call returned
    threshold: int  # gc.get_threshold()[0] when the call returned


class SubjectReply(TypedDict, total=False):
    """A subject's signed answer to its boot (id 0) or to a request; keys depend on status."""

    id: Required[int]
    status: Required[ReplyStatus]
    message: str
    confinement: ConfinementData  # the boot's reply
    out: bytes  # the value, wire.encode()d
    markers: bool  # out holds Opaque markers
    ref: int  # the value was kept in the subject under this number
    error: ErrorInfo
    peak: int  # bytes above the start, when memory was asked
    calls: int  # when calls were asked
    collector: CollectorFigures  # when the collector was watched
    flags: list[str]  # why the measurement cannot be believed
    refusals: dict[str, int]  # sandbox rule → times refused, since the subject started
    worker: int  # the kernel's id of the thread that ran the request, gone or going


# Service frames, sent while a request runs (tuples on the wire, like the rest marshalled):
# R, subject → grader: call a method of a grader-side object the driver was handed.
ServiceCall = tuple[int, int, str, tuple[Any, ...]]  # call id, handle, method, plain args
# A, grader → subject: the call's outcome, or why the grader refused it.
ServiceAnswer = tuple[Literal["ok"], Any] | tuple[Literal["err"], str]
AnswerFrame = tuple[int, ServiceAnswer]  # call id, answer
# E, subject → grader, unanswered: a record for a grader-side log.
EventFrame = tuple[int, tuple[Any, ...]]  # handle, record
