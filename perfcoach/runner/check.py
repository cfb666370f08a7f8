"""Check a lab: run its bench in the sandbox and turn the result into honest verdicts."""

from __future__ import annotations

import hashlib
import math
import os
import random
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfcoach.catalog.goals import Goal
from perfcoach.catalog.lab import Lab, MetricSpec
from perfcoach.measure.latency import LatencyHistogram
from perfcoach.numbers import number
from perfcoach.runner import sandbox
from perfcoach.runner.child import ChildOutcome, run_child
from perfcoach.runner.contracts import ErrorInfo, GraderSpec, MeasuredData, Mode
from perfcoach.store.queries import NewAttempt
from perfcoach.verdict import Verdict

STARTUP_SLACK_S = 1


@dataclass(frozen=True)
class MetricRow:
    """One line of the verdict table."""

    name: str
    title: str
    deterministic: bool
    goal: Goal
    value: float | None
    baseline: float | None
    low: float | None
    high: float | None
    verdict: Verdict  # pass | fail | inconclusive | missing | unmeasured | untrusted
    detail: str
    latency: LatencyHistogram | None = None  # the latencies behind a percentile, to draw

    @property
    def target(self) -> str:
        """The goal in words, with the concrete number when it depends on the baseline."""
        return self.goal.describe(self.baseline)


@dataclass
class CheckResult:
    """Everything one check found: overall verdict, per-metric rows, and what to do next."""

    lab_id: str
    verdict: Verdict  # pass | fail | inconclusive | timeout | error | oom
    message: str
    metrics: list[MetricRow]
    seed: int
    code_hash: str
    duration_s: float
    output: str = ""
    output_bytes: int = 0
    notes: list[str] = field(default_factory=list)
    where: str = ""
    correct: bool | None = None  # None when the code never got as far as a grade

    @property
    def passed(self) -> bool:
        """Only a pass is a pass."""
        return self.verdict is Verdict.PASS

    def metrics_json(self) -> dict[str, Any]:
        """The metrics as stored with the attempt; a latency histogram only where a metric has
        one (attempts stored before histograms simply lack the key)."""
        return {
            row.name: {
                "value": _finite(row.value),
                "baseline": _finite(row.baseline),
                "low": _finite(row.low),
                "high": _finite(row.high),
                "verdict": row.verdict,
                "target": row.target,
            }
            | ({} if row.latency is None else {"latency": row.latency.to_json()})
            for row in self.metrics
        }

    def latency_charts(self, width: int) -> list[tuple[str, list[str]]]:
        """Each metric's latency histogram as (title, text lines) at most width wide."""
        return [(row.title, row.latency.chart(width)) for row in self.metrics if row.latency]

    def attempt(self, hints_used: int) -> NewAttempt:
        """The record of this check, as every face stores it."""
        return NewAttempt(
            lab_id=self.lab_id,
            verdict=self.verdict,
            metrics=self.metrics_json(),
            duration_s=self.duration_s,
            seed=self.seed,
            code_hash=self.code_hash,
            hints_used=hints_used,
            message=self.message,
        )

    def detail_lines(self) -> list[str]:
        """'metric: detail' for every row worth explaining: misses, and every timing."""
        return [
            f"{row.title}: {row.detail}"
            for row in self.metrics
            if row.detail
            and row.verdict is not Verdict.UNMEASURED
            and (row.verdict is not Verdict.PASS or not row.deterministic)
        ]


def code_hash(folder: Path, files: tuple[str, ...]) -> str:
    """A short fingerprint of the learner's files, to tell attempts on different code apart."""
    digest = hashlib.sha256()
    for name in sorted(files):
        path = folder / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:16]


def new_seed() -> int:
    """A fresh seed per attempt, so output cannot be hard-coded."""
    return random.SystemRandom().randrange(1, 2**31)


def run_check(
    lab: Lab,
    candidate_dir: Path,
    seed: int | None = None,
    *,
    on_output: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    time_all: bool = True,
    counted_only: bool = False,
) -> CheckResult:
    """Grade the code in candidate_dir against lab's starter; never raises for learner faults.

    Setting cancel stops the child and raises runner.child.Cancelled: nothing to record.
    time_all=False leaves the timed metrics untimed once a counted one has missed its goal
    (the verdict is a fail whatever they measure): what a learner's `lab check` does.
    counted_only=True leaves them untimed even when every counted metric met its goal, in a
    lab whose bench counts before it times: a repeat run that only needs the result and the
    counts on another seed (a timing the bench takes anyway is left out of the verdict).
    Such a check never passes; at best it is inconclusive.
    """
    seed = new_seed() if seed is None else seed
    spec = grader_spec(lab, candidate_dir, seed, "grade", time_all=time_all)
    spec["counted_only"] = counted_only
    outcome = run_child(
        spec, lab.timeout_s + STARTUP_SLACK_S, on_output, cancel=cancel, subjects=lab.subjects
    )
    result = judge(lab, outcome, counted_only=counted_only)
    result.seed = seed
    result.code_hash = code_hash(candidate_dir, lab.files)
    return result


def grader_spec(
    lab: Lab, candidate_dir: Path, seed: int, mode: Mode, *, time_all: bool = True
) -> GraderSpec:
    """What the grader process needs to grade (or profile) the code in candidate_dir."""
    return {
        "mode": mode,
        "lab_dir": str(lab.root),
        "files": list(lab.files),
        "candidate_dir": str(candidate_dir.resolve()),
        "seed": seed,
        "goals": {m.name: m.goal.text for m in lab.metrics},
        "plausible": {m.name: list(m.plausible) for m in lab.metrics},
        "timed": any(not m.deterministic for m in lab.metrics),
        "memory_bytes": lab.memory_mb * 1024 * 1024,
        "read_roots": [str(p) for p in sandbox.read_roots()],
        "list_roots": [str(p) for p in sandbox.list_roots()],
        "hidden": [str(p) for p in sandbox.hidden(lab)],
        "time_all": time_all,
        "serve_loopback": lab.serve_loopback,
    }


def judge(lab: Lab, outcome: ChildOutcome, *, counted_only: bool = False) -> CheckResult:
    """Turn what the child did into a verdict; every ending gets one."""

    def make(
        verdict: Verdict,
        message: str,
        rows: list[MetricRow] | None = None,
        notes: list[str] | None = None,
        where: str = "",
        correct: bool | None = None,
    ) -> CheckResult:
        return CheckResult(
            lab.id,
            verdict,
            message,
            rows or [],
            0,
            "",
            outcome.duration_s,
            outcome.output,
            outcome.output_bytes,
            notes or [],
            where,
            correct,
        )

    limit = lab.timeout_s + STARTUP_SLACK_S
    if outcome.timed_out:
        return make(
            Verdict.TIMEOUT,
            f"stopped after {limit}s without finishing: look for an endless "
            "loop, or an algorithm far slower than the starter's",
        )
    result = outcome.result
    if result is None:
        return make(
            Verdict.ERROR,
            f"the grader ended (exit code {outcome.returncode}) without a verdict: a bug "
            "in perfcoach or in this lab, not in your code; run again with PERFCOACH_DEBUG=1",
        )
    status = result.get("status")
    if status == "raised":
        error: ErrorInfo | dict[str, str] = result.get("error") or {}
        where = str(error.get("where", ""))
        prefix = f"{where}: " if where else ""
        if error.get("kind") == "oom":
            return make(
                Verdict.OOM,
                f"ran out of memory (limit {lab.memory_mb} MiB): {where or 'MemoryError'}",
                where=where,
            )
        return make(
            Verdict.ERROR,
            f"{prefix}{error.get('message')}",
            where=where,
            notes=[str(error.get("traceback", ""))],
        )
    if status == "died":
        if result.get("returncode") == -signal.SIGKILL:
            return make(
                Verdict.OOM,
                "the process running your code was killed by the system, most likely for "
                f"using too much memory (limit {lab.memory_mb} MiB)",
            )
        return make(Verdict.ERROR, str(result.get("message")))
    if status != "ok":
        return make(
            Verdict.ERROR,
            f"the lab's grader failed (a bug in the lab, not in your code): "
            f"{result.get('message')}",
            notes=[str(result.get("traceback", ""))] if os.environ.get("PERFCOACH_DEBUG") else [],
        )
    grade = result.get("grade")
    notes = [str(n) for n in grade.get("notes", [])] if grade else []
    if not grade or not grade.get("correct"):
        message = (grade.get("message") if grade else "") or "the output differs from the reference"
        rows = [_unmeasured(spec) for spec in lab.metrics]
        return make(Verdict.FAIL, f"wrong result: {message}", rows, notes, correct=False)
    rows = [_row(spec, grade.get("metrics", {}).get(spec.name)) for spec in lab.metrics]
    if counted_only:  # a bench that times as it serves (a live load test) times anyway
        rows = [
            row
            if row.deterministic or row.verdict is Verdict.MISSING
            else _unmeasured(spec, "not timed: counted only")
            for spec, row in zip(lab.metrics, rows, strict=True)
        ]
    missing = [row.name for row in rows if row.verdict is Verdict.MISSING]
    if missing:
        return make(
            Verdict.ERROR,
            f"the lab's bench did not report {', '.join(missing)} "
            "(a bug in the lab, not in your code)",
            rows,
            notes,
            correct=True,
        )
    untimed = [row for row in rows if row.verdict is Verdict.UNMEASURED]
    if untimed:
        missed = next(
            (
                row
                for row in rows
                if row.deterministic and row.verdict in (Verdict.FAIL, Verdict.UNTRUSTED)
            ),
            None,
        )
        titles = " and ".join(row.title for row in untimed)
        if counted_only and missed is None and not any(row.deterministic for row in untimed):
            return make(
                Verdict.INCONCLUSIVE,
                f"counted only: {titles} not timed, as asked; the result and every counted "
                "metric were checked",
                rows,
                notes,
                correct=True,
            )
        if missed is None or any(row.deterministic for row in untimed):
            return make(
                Verdict.ERROR,
                f"the lab's bench left {', '.join(row.name for row in untimed)} untimed "
                "though no counted metric missed its target (a bug in the lab, not in your code)",
                rows,
                notes,
                correct=True,
            )
        notes.insert(
            0,
            f"Not timed: {titles}. {missed.title} already misses its target, so no timing"
            " could change the verdict; `perfcoach lab check --full` times every metric anyway.",
        )
    verdicts = {row.verdict for row in rows}
    if Verdict.UNTRUSTED in verdicts:
        first = next(row for row in rows if row.verdict is Verdict.UNTRUSTED)
        return make(
            Verdict.FAIL,
            f"{first.title} cannot be trusted: {first.detail}",
            rows,
            notes,
            correct=True,
        )
    if Verdict.FAIL in verdicts:
        first = next(row for row in rows if row.verdict is Verdict.FAIL)
        return make(
            Verdict.FAIL,
            f"{first.title}: {number(first.value)}, target {first.target}",
            rows,
            notes,
            correct=True,
        )
    if Verdict.INCONCLUSIVE in verdicts:
        first = next(row for row in rows if row.verdict is Verdict.INCONCLUSIVE)
        return make(
            Verdict.INCONCLUSIVE,
            f"{first.title}: the timing range {number(first.low)}–"
            f"{number(first.high)} straddles the target {first.target}; the machine is "
            "too noisy to tell, check again when it is quieter",
            rows,
            notes,
            correct=True,
        )
    return make(Verdict.PASS, "every target met", rows, notes, correct=True)


def _unmeasured(spec: MetricSpec, why: str = "not measured (wrong result)") -> MetricRow:
    """A row with no figure: for a wrong result, or a timed metric left untimed because a
    counted one had already missed."""
    return MetricRow(
        spec.name,
        spec.title,
        spec.deterministic,
        spec.goal,
        None,
        None,
        None,
        None,
        Verdict.UNMEASURED,
        why,
    )


def _row(spec: MetricSpec, data: MeasuredData | None) -> MetricRow:
    if data and data.get("untimed") is True:
        return _unmeasured(spec, "not timed")
    value = data.get("value") if data else None
    if data is None or value is None:
        return MetricRow(
            spec.name,
            spec.title,
            spec.deterministic,
            spec.goal,
            None,
            None,
            None,
            None,
            Verdict.MISSING,
            "",
        )
    value = float(value)
    baseline, low, high = (
        _float(data.get("baseline")),
        _float(data.get("low")),
        _float(data.get("high")),
    )
    verdict = metric_verdict(spec.goal, spec.deterministic, value, baseline, low, high)
    untrusted = str(data.get("untrusted") or "")
    if untrusted:
        return MetricRow(
            spec.name,
            spec.title,
            spec.deterministic,
            spec.goal,
            value,
            baseline,
            low,
            high,
            Verdict.UNTRUSTED,
            untrusted,
        )
    return MetricRow(
        spec.name,
        spec.title,
        spec.deterministic,
        spec.goal,
        value,
        baseline,
        low,
        high,
        verdict,
        str(data.get("detail", "")),
        LatencyHistogram.from_json(data.get("latency")),
    )


def metric_verdict(
    goal: Goal,
    deterministic: bool,
    value: float,
    baseline: float | None,
    low: float | None,
    high: float | None,
) -> Verdict:
    """Counted metrics compare exactly; timed ones must clear the goal with their whole range."""
    if deterministic:
        return goal.verdict(value, baseline, None, None)
    return goal.verdict(value, baseline, low, high)


def _float(x: float | None) -> float | None:
    """JSON gives ints for whole numbers: every figure is a float from here on."""
    return None if x is None else float(x)


def _finite(x: float | None) -> float | None:
    return x if x is None or math.isfinite(x) else None
