"""The API a lab's bench.py is written against: it runs in the grader, never beside the learner.

A lab has two halves. `driver.py` runs in the subject process next to the learner's module
(see perfcoach.driverkit): it receives inputs, calls the learner's code and returns what
came back. `bench.py` runs here, in the grader: it builds inputs from the seed, computes
the expected values, calls the driver through `ctx.candidate` / `ctx.baseline`, compares,
times, and reports each manifest metric as a `Measured`. Nothing here is reachable from
the learner's code: not the seed, not the reference, not the comparison.

    def grade(ctx: LabContext) -> Grade
    def workload(ctx: LabContext) -> Workload      # what `perfcoach lab profile` runs
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from perfcoach.catalog.goals import Goal
from perfcoach.measure.latency import LatencyHistogram, nearest_rank
from perfcoach.measure.stats import Estimate
from perfcoach.measure.timing import Sampler, compare_samplers, exponent_samplers
from perfcoach.numbers import milliseconds, precise
from perfcoach.runner.contracts import GradeData, GraderResult, GraderSpec, MeasuredData, Mode
from perfcoach.runner.grader import (
    SCALENE_SCRIPT,
    CpuWait,
    EventSink,
    Grader,
    LabBug,
    Later,
    LearnerError,
    Pending,
    Refusal,
    Reply,
    Subject,
    SubjectDied,
    SubjectSpec,
)
from perfcoach.runner.sqlservice import SqliteService
from perfcoach.runner.wire import Handle, Opaque, Ref
from perfcoach.verdict import Verdict

if TYPE_CHECKING:
    from perfcoach.measure.profilers import CProfileReport, MemoryReport

__all__ = [
    "CpuWait",
    "EventSink",
    "Grade",
    "Handle",
    "LabBug",
    "LabContext",
    "LatencyHistogram",
    "Later",
    "Measured",
    "Opaque",
    "Pending",
    "Ref",
    "Refusal",
    "Reply",
    "SqliteService",
    "Subject",
    "Trial",
    "Workload",
    "WrongAnswer",
    "load_module",
    "nearest_rank",
    "stretched",
    "trust",
]

TIMING_BUDGET_S = 20.0


class WrongAnswer(Exception):
    """Raised by a bench when the candidate's output differs from the reference."""


@dataclass
class Measured:
    """One metric's value for the candidate, the baseline's value, and its uncertainty.

    untrusted names why the figure cannot be believed (an instrument was reset, a value
    is physically impossible): such a metric fails, whatever its value. untimed marks a
    timed metric left unmeasured because a counted one had already missed (see
    LabContext.counted); its value means nothing. latency, on a percentile metric, is the
    candidate's latency distribution, which `lab check` draws (it never changes a verdict).
    """

    value: float
    baseline: float | None = None
    low: float | None = None
    high: float | None = None
    detail: str = ""
    untrusted: str = ""
    untimed: bool = False
    latency: LatencyHistogram | None = None

    def to_json(self) -> MeasuredData:
        """Plain data for the result."""
        data: MeasuredData = {
            "value": None if self.untimed else self.value,
            "baseline": self.baseline,
            "low": self.low,
            "high": self.high,
            "detail": self.detail,
            "untrusted": self.untrusted,
            "untimed": self.untimed,
        }
        if self.latency is not None:
            data["latency"] = self.latency.to_json()
        return data


@dataclass
class Grade:
    """What bench.grade() returns: correctness first, then every manifest metric."""

    correct: bool
    metrics: dict[str, Measured] = field(default_factory=dict)
    message: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> GradeData:
        """Plain data for the result."""
        return {
            "correct": self.correct,
            "metrics": {name: m.to_json() for name, m in self.metrics.items()},
            "message": self.message,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Trial:
    """A unit of timed work with fresh input every time, so a cached answer buys nothing.

    make(i) builds unit i's input (here, untimed); prepare(side, inputs), if given, readies
    them in the subject, untimed (a fresh instance per unit, when the lab times its steady
    state), and returns what run gets; run(side, inputs) does one round trip that processes
    every input and returns one output per input (timed); check(input, output) names what
    is wrong with a candidate's output, or returns None.
    """

    make: Callable[[int], Any]
    run: Callable[[Subject, list[Any]], Sequence[Any]]
    check: Callable[[Any, Any], str | None] | None = None
    max_units: int | None = None  # 1 when make() changes shared state (a database)
    prepare: Callable[[Subject, list[Any]], list[Any]] | None = None


@dataclass(frozen=True)
class Workload:
    """What `lab profile` runs on the learner's code: a driver function and its arguments."""

    fn: str
    args: tuple[Any, ...] = ()


class LabContext:
    """Everything a bench may use: the seed, the goals, the subjects, services and timing."""

    def __init__(self, grader: Grader, spec: GraderSpec) -> None:
        self.grader = grader
        self.seed: int = int(spec["seed"])
        self.goals = {name: Goal.parse(text) for name, text in spec["goals"].items()}
        self.plausible: dict[str, tuple[float, float]] = {
            name: (float(low), float(high)) for name, (low, high) in spec["plausible"].items()
        }
        self.lab_dir = Path(spec["lab_dir"])
        self.workdir = grader.scratch
        self._spec = spec
        self._candidate: Subject | None = None
        self._baseline: Subject | None = None
        self._extra = itertools.count(1)
        self.time_all = bool(spec.get("time_all", True))
        self.counted_only = bool(spec.get("counted_only", False))
        self.missed_counts: dict[str, Measured] = {}  # counted metrics that missed, see counted
        self.counted_names: set[str] = set()  # every figure recorded by counted, met or missed

    def counted(self, name: str, measured: Measured) -> Measured:
        """Record a counted figure before anything is timed, and return it. One that already
        misses its goal fails the check whatever a timing says, so unless the check times
        everything (`lab check --full`, `dev check`) the timed metrics after it are left
        untimed: a failing check answers in seconds. The figure the bench finally reports
        for name must miss too (a bench whose figure can still improve must not call this)."""
        goal = self.goals.get(name)
        if goal is None:
            raise LabBug(f"metric {name!r} is not declared in lab.toml")
        verdict = goal.verdict(measured.value, measured.baseline, measured.low, measured.high)
        self.counted_names.add(name)
        if measured.untrusted or verdict is Verdict.FAIL:
            self.missed_counts[name] = measured
        return measured

    def _untimed(self, trial: Trial) -> Measured | None:
        """The figure of a timed metric left untimed, or None when it must be timed (always in
        a bench that counts nothing first: its counts may come from the timings). Its trial
        still runs the candidate on two fresh units, checked but not timed, so an
        answer remembered from an earlier call is still found wrong."""
        skip = self.counted_only or (self.missed_counts and not self.time_all)
        if not (skip and self.counted_names):
            return None
        probe = self._sampler(self.candidate, trial, itertools.count(), "cpu", True)
        for _ in range(2):
            probe(1)
        return Measured(math.nan, untimed=True)

    def rng(self, salt: str = "") -> random.Random:
        """A generator seeded from the attempt's seed (and a salt for independent streams)."""
        return random.Random(f"{self.seed}:{salt}")

    @property
    def candidate(self) -> Subject:
        """The learner's code, in its own sandboxed process."""
        if self._candidate is None:
            self._candidate = self.grader.candidate or self.grader.spawn(
                SubjectSpec("candidate", Path(self._spec["candidate_dir"]), self._files())
            )
        return self._candidate

    @property
    def baseline(self) -> Subject:
        """The starter, in a process of its own set up the same way."""
        if self._baseline is None:
            self._baseline = self.grader.baseline or self.grader.spawn(
                SubjectSpec("baseline", self.lab_dir / "starter", self._files())
            )
        return self._baseline

    def spawn(self, env: dict[str, str], *, starter: bool = False) -> Subject:
        """Another process running the learner's code (or the starter, for the baseline's
        figures), with extra environment (e.g. a different PYTHONHASHSEED)."""
        role, source = (
            ("baseline", self.lab_dir / "starter")
            if starter
            else ("candidate", Path(self._spec["candidate_dir"]))
        )
        return self.grader.spawn(
            SubjectSpec(f"{role}{next(self._extra)}", source, self._files(), env)
        )

    def _files(self) -> tuple[str, ...]:
        return tuple(self._spec["files"])

    def serve(self, obj: Any, kind: str = "remote") -> Handle:
        """Expose obj to subjects: pass the handle as an argument of a call."""
        return self.grader.services.add(obj, kind)

    def log(self, on_record: Callable[[tuple[Any, ...]], None] | None = None) -> tuple[
        Handle, EventSink
    ]:  # fmt: skip
        """A one-way event log: the driver writes records, this sink receives them."""
        sink = EventSink(on_record)
        return self.grader.services.add(sink, "log"), sink

    def speedup(
        self,
        name: str,
        trial: Trial,
        *,
        baseline_trial: Trial | None = None,
        clock: str = "cpu",
    ) -> Measured:
        """Baseline time / candidate time per unit, in interleaved pairs with fresh inputs.

        clock="cpu" is the subjects' CPU time read from the kernel (plus the grader's CPU
        serving their calls): a busy machine preempts both sides but adds to neither.
        clock="wall" is the grader's clock, needed when the work waits (sleeps, latency).
        Every candidate output is checked; the other subject is paused while one is timed.
        """
        untimed = self._untimed(trial)
        if untimed is not None:
            return untimed
        counter = itertools.count()
        comparison = compare_samplers(
            self._sampler(self.baseline, baseline_trial or trial, counter, clock, False),
            self._sampler(self.candidate, trial, counter, clock, True),
            settle=self._settle(name),
            budget_s=TIMING_BUDGET_S,
            max_loops=trial.max_units,
        )
        ratio = comparison.ratio
        detail = (
            f"baseline {milliseconds(comparison.baseline_s)}, "
            f"yours {milliseconds(comparison.candidate_s)} per unit"
            f" ({clock} time), {ratio.n} interleaved pairs with fresh inputs, ratio "
            f"{ratio.low:.3g}–{ratio.high:.3g}"
        )
        return Measured(ratio.median, 1.0, ratio.low, ratio.high, detail)

    def exponent(
        self,
        name: str,
        trials: dict[int, Trial],
        *,
        baseline_trials: dict[int, Trial] | None = None,
        clock: str = "cpu",
    ) -> Measured:
        """Time-vs-size growth exponent of the candidate (and of the baseline, if given)."""
        untimed = self._untimed(trials[min(trials)])
        if untimed is not None:
            return untimed
        counter = itertools.count()
        cap = min((t.max_units or 10**9) for t in trials.values())
        estimate = exponent_samplers(
            {n: self._sampler(self.candidate, t, counter, clock, True) for n, t in trials.items()},
            settle=self._settle(name),
            budget_s=TIMING_BUDGET_S,
            max_loops=cap,
        )
        baseline = None
        if baseline_trials is not None:
            base = exponent_samplers(
                {
                    n: self._sampler(self.baseline, t, counter, clock, False)
                    for n, t in baseline_trials.items()
                },
                min_rounds=3,
                max_rounds=3,
                max_loops=cap,
            )
            baseline = base.median
        sizes = ", ".join(f"{n:,}" for n in sorted(trials))
        detail = (
            f"sizes {sizes}; {estimate.n} rounds with fresh inputs, slope "
            f"{estimate.low:.2f}–{estimate.high:.2f}"
        )
        return Measured(estimate.median, baseline, estimate.low, estimate.high, detail)

    def _sampler(
        self, side: Subject, trial: Trial, counter: Any, clock: str, check: bool
    ) -> Sampler:
        grader = self.grader

        def sample(units: int) -> float:
            inputs = [trial.make(next(counter)) for _ in range(units)]
            with grader.only(side):
                ready = inputs if trial.prepare is None else trial.prepare(side, inputs)
                before = side.cpu_s if clock == "cpu" else side.wall_s
                outputs = trial.run(side, ready)
                elapsed = (side.cpu_s if clock == "cpu" else side.wall_s) - before
            if check and trial.check is not None:
                if len(outputs) != len(inputs):
                    raise WrongAnswer(
                        f"a timed call returned {len(outputs)} results for {len(inputs)} inputs"
                    )
                for unit, output in zip(inputs, outputs, strict=True):
                    problem = trial.check(unit, output)
                    if problem:
                        raise WrongAnswer(f"on a timed repetition with fresh input: {problem}")
            return max(elapsed, 1e-9)

        return sample

    def _settle(self, name: str) -> Callable[[Estimate], bool]:
        goal = self.goals.get(name)
        if goal is None:
            raise LabBug(f"metric {name!r} is not declared in lab.toml")

        def settled(estimate: Estimate) -> bool:
            """Settled once the verdict's own rule gives an answer noise cannot flip."""
            verdict = goal.verdict(estimate.median, 1.0, estimate.low, estimate.high)
            return verdict is not Verdict.INCONCLUSIVE

        return settled

    def missed(self, name: str, measured: Measured) -> bool:
        """Whether the metric's verdict will not be a pass (fail or inconclusive): its advice
        is owed even when a noisy median happens to land on the goal's side. An untimed
        metric owes none: the advice of the counted one that missed comes first."""
        if measured.untimed:
            return False
        return self.goals[name].verdict(
            measured.value, measured.baseline, measured.low, measured.high
        ) not in (Verdict.PASS, Verdict.MISSING)

    def refusals(self) -> dict[str, int]:
        """What the sandbox refused the learner's code, by rule, over the whole check."""
        total: dict[str, int] = {}
        for subject in self.grader.subjects:
            if subject.role.startswith("candidate"):
                for rule, count in subject.refusals.items():
                    total[rule] = total.get(rule, 0) + count
        return total


def stretched(seed: int, salt: str, domain: str) -> int:
    """A number derived from a check's seed by a slow hash (~10 ms a call), for what the
    learner's process sees or draws from: code there cannot search the 2**31 seeds for the
    one that explains it, then compute what it must not know yet."""
    key = hashlib.pbkdf2_hmac("sha256", f"{seed}:{salt}".encode(), domain.encode(), 20_000)
    return int.from_bytes(key[:8], "big")


def trust(reply: Reply) -> str:
    """Why an in-process measurement in this reply cannot be believed ('' when it can)."""
    return "; ".join(reply.flags)


def check_plausible(ctx: LabContext, metrics: dict[str, Measured]) -> None:
    """Mark as untrusted every figure outside the range its lab.toml calls plausible."""
    for name, measured in metrics.items():
        bounds = ctx.plausible.get(name)
        if bounds is None or measured.untrusted or measured.untimed:
            continue
        low, high = bounds
        for label, value in (("yours", measured.value), ("the starter's", measured.baseline)):
            if label == "the starter's" and (value is None or name == "speedup"):
                continue
            if value is None or not math.isfinite(value) or not low <= value <= high:
                measured.untrusted = (
                    f"{label} {precise(value)} is outside what this lab can physically produce "
                    f"({precise(low)} to {precise(high)}): an instrument was tampered with, or the "
                    "work was moved where it is not measured"
                )
                break


def load_module(path: Path, name: str) -> ModuleType:
    """Import a lab's file in the grader under name (a bench's own copy of its driver or
    starter, to run the starter's figures where no learner code can reach them)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise LabBug(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_bench(lab_dir: Path) -> ModuleType:
    """Import the lab's bench.py in the grader."""
    return load_module(lab_dir / "bench.py", "perfcoach_lab_bench")


def run_bench(grader: Grader, spec: GraderSpec) -> GraderResult:
    """Grade (or profile) one lab with the grader's subjects; the result as plain data."""
    ctx = LabContext(grader, spec)
    mode = spec["mode"]
    bench = load_bench(ctx.lab_dir)
    try:
        if mode == "grade":
            return _grade(bench, ctx)
        return _profile(bench, ctx, mode)
    except LearnerError as exc:
        return {"status": "raised", "error": exc.error, "refusals": ctx.refusals()}
    except SubjectDied as exc:
        return {
            "status": "died",
            "message": str(exc),
            "returncode": exc.returncode,
            "refusals": ctx.refusals(),
        }


def _grade(bench: ModuleType, ctx: LabContext) -> GraderResult:
    try:
        grade = bench.grade(ctx)
    except WrongAnswer as exc:
        grade = Grade(correct=False, message=str(exc))
    if not isinstance(grade, Grade):
        raise LabBug(f"bench.grade returned {type(grade).__name__}, not Grade")
    if grade.correct:
        check_plausible(ctx, grade.metrics)
        _check_counted(ctx, grade)
    if ctx._candidate is not None:
        left = _lingering_threads(ctx.candidate)
        if left > 0:
            grade.notes.append(
                f"Your code left {left} thread(s) running after it returned; they were "
                "stopped when the check ended. The verdict is the grade's."
            )
    refused = ctx.refusals()
    if refused:
        tried = ", ".join(f"{rule} ×{count}" for rule, count in sorted(refused.items()))
        grade.notes.append(f"The sandbox refused operations your code attempted: {tried}.")
    result: GraderResult = {"status": "ok", "grade": grade.to_json(), "refusals": refused}
    if ctx._candidate is not None and ctx.candidate.confinement is not None:
        result["confinement"] = ctx.candidate.confinement
    return result


def _check_counted(ctx: LabContext, grade: Grade) -> None:
    """A metric recorded as missed before the timings must miss in the grade too, or the
    timings it skipped were owed: a bug of the bench, never a pass."""
    if not any(m.untimed for m in grade.metrics.values()):
        return
    for name, early in ctx.missed_counts.items():
        final = grade.metrics.get(name)
        if final is None or not (final.untrusted or ctx.missed(name, final)):
            raise LabBug(
                f"{name} missed its goal before the timings ({precise(early.value)}) but not "
                "in the grade: the timings it skipped were owed"
            )


def _lingering_threads(subject: Subject) -> int:
    """Threads besides the harness's own: the lowest of a few readings, because a worker
    that has just finished leaves the kernel's thread list a moment later."""
    lowest = subject.threads()
    for _ in range(10):
        if lowest <= 1:
            break
        time.sleep(0.01)
        lowest = min(lowest, subject.threads())
    return max(0, lowest - 1)


def _profile(bench: ModuleType, ctx: LabContext, mode: Mode) -> GraderResult:
    work = bench.workload(ctx)
    if not isinstance(work, Workload):
        raise LabBug("bench.workload must return a Workload")
    candidate = ctx.candidate
    if mode == "scalene":
        return _scalene(candidate, work)
    candidate.call(work.fn, *work.args)  # warm: imports and caches, outside the profile
    if mode != "memory":
        reply = candidate.call(work.fn, *work.args, profile=mode)
        return {"status": "ok", "profile": cast("CProfileReport", reply.value)}
    from perfcoach.measure.profilers import RssSampler

    # Resident memory from a run without tracemalloc, whose own bookkeeping would count.
    candidate.reset_peak_rss()
    sampler = RssSampler(candidate.proc.pid)
    sampler.start()
    candidate.call(work.fn, *work.args)
    sampled = sampler.stop()
    kernel = candidate.peak_rss_kib()
    reply = candidate.call(work.fn, *work.args, profile=mode)
    profile = cast("MemoryReport", reply.value)
    profile["peak_rss_mib"] = kernel / 1024 if kernel is not None else sampled
    profile["rss_source"] = "kernel high-water mark" if kernel is not None else "memory-profiler"
    profile["rss_sampled_mib"] = sampled
    return {"status": "ok", "profile": profile}


def _scalene(candidate: Subject, work: Workload) -> GraderResult:
    """Run the workload once under scalene; its profile is written as the subject exits."""
    from perfcoach.measure.profilers import scalene_top

    candidate.call(work.fn, *work.args)
    learner = [candidate.workdir / name for name in candidate.files]
    sources = {str(p): p.read_text(errors="replace").splitlines() for p in learner}
    candidate.close(grace_s=60)
    out = candidate.workdir / "scalene.json"
    if not out.is_file():
        return {"status": "failed", "message": "scalene wrote no profile"}
    found = scalene_top(out, learner, 15, lines_of=sources)
    found["rows"] = [r for r in found["rows"] if SCALENE_SCRIPT not in str(r.get("where"))]
    return {"status": "ok", "profile": found}
