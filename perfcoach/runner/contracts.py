"""The data perfcoach and its grader process exchange as JSON: the spec in, the result out.

TypedDicts keep the wire plain (json.dumps of a dict) while mypy checks both ends: the
writer (check.py, labkit.py, subject.py) and the reader (grader.py, labkit.py, check.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NotRequired, Required, TypedDict

if TYPE_CHECKING:
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
    parent_pid: NotRequired[int]  # added by run_child: the grader dies with this process
    allow_network: NotRequired[bool]


class ErrorInfo(TypedDict):
    """How the learner's code raised, as the subject describes it for the learner."""

    kind: Literal["error", "oom"]
    exception: str
    message: str
    where: str  # 'work.py line 12, in f', or '' outside the learner's files
    traceback: str


class MeasuredData(TypedDict):
    """One metric as the bench measured it (labkit.Measured on the wire)."""

    value: float
    baseline: float | None
    low: float | None
    high: float | None
    detail: str
    untrusted: str  # why the figure cannot be believed; '' when it can


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
