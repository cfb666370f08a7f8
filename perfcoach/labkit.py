"""The API a lab's bench.py is written against: context in, Grade out.

bench.py runs inside the sandbox child. It builds seeded inputs from ctx.seed,
checks the candidate against the reference, and reports each manifest metric as
a Measured value together with the baseline's value of the same metric.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfcoach.catalog.goals import Goal
from perfcoach.measure.stats import Estimate
from perfcoach.measure.timing import compare, scaling_exponent

CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
_AUDIT_EVENTS: Counter[str] = Counter()
_AUDITED = frozenset({"sqlite3.connect", "socket.connect", "subprocess.Popen", "os.system"})
_audit_installed = False


def _audit(event: str, _args: tuple[Any, ...]) -> None:
    if event in _AUDITED:
        _AUDIT_EVENTS[event] += 1


def install_audit_hook() -> None:
    """Count escape hatches (new DB connections, sockets, subprocesses) for the grader.

    An audit hook cannot be removed or bypassed from Python code, so a learner's
    module cannot hide a connection it opens from the bench.
    """
    global _audit_installed
    if not _audit_installed:
        sys.addaudithook(_audit)
        _audit_installed = True


class WrongAnswer(Exception):
    """Raised by a bench when the candidate's output differs from the reference."""


@dataclass
class Measured:
    """One metric's value for the candidate, the baseline's value, and its uncertainty."""

    value: float
    baseline: float | None = None
    low: float | None = None
    high: float | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """Plain data for the result file."""
        return {
            "value": self.value,
            "baseline": self.baseline,
            "low": self.low,
            "high": self.high,
            "detail": self.detail,
        }


@dataclass
class Grade:
    """What bench.grade() returns: correctness first, then every manifest metric."""

    correct: bool
    metrics: dict[str, Measured] = field(default_factory=dict)
    message: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain data for the result file."""
        return {
            "correct": self.correct,
            "metrics": {name: m.to_json() for name, m in self.metrics.items()},
            "message": self.message,
            "notes": list(self.notes),
        }


@dataclass
class LabContext:
    """Everything a bench may rely on: the seed, its own folder, a scratch dir, the goals."""

    seed: int
    lab_dir: Path
    workdir: Path
    goals: dict[str, Goal]

    def rng(self, salt: str = "") -> random.Random:
        """A generator seeded from the attempt's seed (and a salt for independent streams)."""
        return random.Random(f"{self.seed}:{salt}")

    def events(self, name: str) -> int:
        """How many times an audited event (e.g. 'sqlite3.connect') has fired so far."""
        return _AUDIT_EVENTS[name]

    def speedup(
        self,
        name: str,
        baseline: Callable[[], object],
        candidate: Callable[[], object],
        clock: str = "wall",
    ) -> Measured:
        """Baseline time / candidate time, sampled until the goal's verdict cannot flip.

        clock="cpu" times this process's CPU (right for compute-bound code: a busy machine
        preempts both sides but does not add to their CPU time); "wall" is needed when the
        work waits (sleeps, I/O, simulated network).
        """
        comparison = compare(baseline, candidate, settle=self._settle(name), clock=CLOCKS[clock])
        ratio = comparison.ratio
        detail = (
            f"baseline {_ms(comparison.baseline_s)}, yours {_ms(comparison.candidate_s)} per call"
            f" ({clock} time), {ratio.n} interleaved pairs, ratio {ratio.low:.3g}–{ratio.high:.3g}"
        )
        return Measured(ratio.median, 1.0, ratio.low, ratio.high, detail)

    def exponent(
        self,
        name: str,
        candidate_runs: dict[int, Callable[[], object]],
        baseline_runs: dict[int, Callable[[], object]] | None = None,
        clock: str = "wall",
    ) -> Measured:
        """Time-vs-size growth exponent of the candidate (and of the baseline, if given)."""
        timer = CLOCKS[clock]
        estimate = scaling_exponent(candidate_runs, settle=self._settle(name), clock=timer)
        baseline = None
        if baseline_runs is not None:
            base = scaling_exponent(baseline_runs, min_rounds=3, max_rounds=3, clock=timer)
            baseline = base.median
        sizes = ", ".join(f"{n:,}" for n in sorted(candidate_runs))
        detail = f"sizes {sizes}; {estimate.n} rounds, slope {estimate.low:.2f}–{estimate.high:.2f}"
        return Measured(estimate.median, baseline, estimate.low, estimate.high, detail)

    def _settle(self, name: str) -> Callable[[Estimate], bool]:
        goal = self.goals.get(name)
        if goal is None:
            raise KeyError(f"metric {name!r} is not declared in lab.toml")
        limit = goal.threshold(1.0)
        assert limit is not None

        def settled(estimate: Estimate) -> bool:
            return estimate.above(limit) or estimate.below(limit)

        return settled


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms"
