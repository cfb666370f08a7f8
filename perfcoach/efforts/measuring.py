"""Baseline, compare and load: measure a real command, or load test a service, for an effort
and attach the figures as evidence to the checklist items they prove."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from perfcoach.efforts.checklists import AUTO_NOTE_PREFIX
from perfcoach.efforts.goal import MET, EffortGoal, check_goal, check_load_goal
from perfcoach.errors import UsageError
from perfcoach.measure.figures import (
    CommandFiguresData,
    FigureSummary,
    LoadMeasurementFigures,
    MeasurementFigures,
    SpeedupData,
)

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.measure.commands import OnRun
    from perfcoach.measure.load import LoadPlan, OnProgress
    from perfcoach.store import Effort, Measurement, Store

BASELINE_PROVES = (("pre", "baseline-metrics"), ("pre", "document-current"))
COMPARE_PROVES = (("post", "measure-improvements"), ("post", "compare-baseline"))
GOAL_PROVES = ("post", "validate-targets")
LOAD_PROVES = (("post", "load-test"),)
F = TypeVar("F", MeasurementFigures, LoadMeasurementFigures)
# The gap in 1-minute load average per CPU above which an unpaired compare recommends --vs:
# half a core's worth of other work in one session and not the other is enough to shift
# timings by more than the speedups an effort usually chases (tens of per cent).
LOAD_MARGIN_PER_CPU = 0.5


@dataclass(frozen=True)
class LoadDrift:
    """How the machine's load differed between a stored baseline and an unpaired compare."""

    baseline_taken: datetime
    baseline_load: float | None
    candidate_load: float | None
    cpus: int | None

    @property
    def per_cpu(self) -> float | None:
        """The load difference per CPU, or None when a load or the CPU count is unknown."""
        if self.baseline_load is None or self.candidate_load is None or not self.cpus:
            return None
        return abs(self.candidate_load - self.baseline_load) / self.cpus

    @property
    def recommends_vs(self) -> bool:
        """True when the loads differ by more than LOAD_MARGIN_PER_CPU, or cannot be told."""
        per_cpu = self.per_cpu
        return per_cpu is None or per_cpu > LOAD_MARGIN_PER_CPU


def drift_lines(drift: LoadDrift) -> list[str]:
    """What a face says about an unpaired compare: when each side ran, the load then and
    now, and how that compares with the margin (the face adds how to pair them)."""

    def load(value: float | None) -> str:
        """A 1-minute load average as stored, or that it was not recorded."""
        return "unknown" if value is None else f"{value:.2f}"

    taken = drift.baseline_taken.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"unpaired: the baseline ran at {taken}, the candidate later",
        f"1-minute load: {load(drift.baseline_load)} for the baseline, "
        f"{load(drift.candidate_load)} for the candidate"
        + (f", on {drift.cpus} CPUs" if drift.cpus else ""),
    ]
    per_cpu = drift.per_cpu
    if per_cpu is None:
        lines.append("the load difference cannot be told (a load was not recorded)")
    else:
        within = "more than" if drift.recommends_vs else "within"
        lines.append(
            f"load differs by {per_cpu:.2f} per CPU, {within} the {LOAD_MARGIN_PER_CPU} margin"
        )
    return lines


def stored_drift(compare: Measurement, measurements: Sequence[Measurement]) -> LoadDrift | None:
    """The load drift of a stored unpaired compare against the baseline it was divided by
    (None for a paired one, or when that baseline is gone)."""
    if compare.kind != "compare" or "measured" not in compare.figures:
        return None
    against = compare.figures["against"]
    uid = against.get("uid") if against else None
    baseline = next((m for m in measurements if m.uid == uid), None)
    if baseline is None or "env" not in baseline.figures:
        return None
    then, now = baseline.figures["env"], compare.figures["env"]
    return LoadDrift(baseline.taken, then["load_1m"], now["load_1m"], now["cpus"])


@dataclass(frozen=True)
class Recorded(Generic[F]):
    """A stored measurement, its figures (README: measurement figures) and the checklist
    items it was attached to."""

    measurement: Measurement
    proved: tuple[tuple[str, str], ...]
    figures: F
    drift: LoadDrift | None = None  # set by an unpaired compare, which ran at another time


def effort_goal(effort: Effort) -> EffortGoal | None:
    """The effort's checkable goal, when it has one."""
    if effort.goal_metric is None or effort.goal_op is None or effort.goal_value is None:
        return None
    return EffortGoal(effort.goal_metric, effort.goal_op, effort.goal_value)


def record_baseline(
    store: Store,
    pack: Pack,
    effort_id: str,
    argv: Sequence[str],
    runs: int,
    timeout_s: float,
    on_run: OnRun | None = None,
) -> Recorded[MeasurementFigures]:
    """Measure argv runs times and store it as the effort's baseline."""
    from perfcoach.measure.commands import environment, measure_command
    from perfcoach.store import Efforts, NewMeasurement

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    measured = measure_command(argv, runs, timeout_s, on_run)
    figures: MeasurementFigures = {
        "measured": measured.to_json(),
        "against": None,
        "speedup": None,
        "goal": None,
        "env": environment(),
    }
    new = NewMeasurement(effort.id, "baseline", measured.command, runs, figures)
    return _store(efforts, pack, new, figures, BASELINE_PROVES)


def record_pyperf_baseline(
    store: Store, pack: Pack, effort_id: str, path: str, benchmark: str | None
) -> Recorded[MeasurementFigures]:
    """Store a pyperf result's values as the effort's baseline samples: wall time only (and
    peak RSS when pyperf recorded it), since pyperf does not measure CPU per value."""
    from perfcoach.efforts.pyperf_import import read_pyperf
    from perfcoach.measure.commands import Summary, environment
    from perfcoach.store import Efforts, NewMeasurement

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    bench = read_pyperf(path, benchmark)
    rss = bench.peak_rss_kib
    measured: CommandFiguresData = {
        "command": bench.command,
        "runs": len(bench.values),
        "wall_s": Summary.of(bench.values).to_json(),
        "cpu_s": None,
        "peak_rss_kib": Summary.of([float(r) for r in rss]).to_json() if rss else None,
        "samples": [
            {"wall_s": wall, "cpu_s": None, "peak_rss_kib": rss[i] if rss else None}
            for i, wall in enumerate(bench.values)
        ],
    }
    figures: MeasurementFigures = {
        "measured": measured,
        "against": None,
        "speedup": None,
        "goal": None,
        "env": environment(),
    }
    new = NewMeasurement(effort.id, "baseline", bench.command, len(bench.values), figures)
    return _store(efforts, pack, new, figures, BASELINE_PROVES)


def record_compare(
    store: Store,
    pack: Pack,
    effort_id: str,
    argv: Sequence[str],
    vs: Sequence[str] | None,
    runs: int,
    timeout_s: float,
    on_run: OnRun | None = None,
) -> Recorded[MeasurementFigures]:
    """Measure argv against the latest baseline, or interleaved against vs when given."""
    from perfcoach.measure.commands import environment, interleave, measure_command
    from perfcoach.store import Efforts, NewMeasurement

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    speedup: SpeedupData
    env = environment()
    drift = None
    if vs is None:
        baseline = efforts.latest_baseline(effort.id)
        if baseline is None:
            raise UsageError(
                f"effort '{effort.id}' has no baseline yet: run "
                f"'perfcoach baseline {effort.id} -- CMD' first, or give --vs 'OLD CMD' "
                "to measure both in one session"
            )
        measured = measure_command(argv, runs, timeout_s, on_run).to_json()
        assert "measured" in baseline.figures  # a baseline measures a command
        against: CommandFiguresData = {**baseline.figures["measured"], "uid": baseline.uid}
        speedup = unpaired_speedup(against["wall_s"], measured["wall_s"])
        then = baseline.figures["env"]
        drift = LoadDrift(baseline.taken, then["load_1m"], env["load_1m"], env["cpus"])
        kind, vs_text = "compare", None
    else:
        session = interleave(vs, argv, runs, timeout_s, on_run)
        measured, against = session.after.to_json(), session.before.to_json()
        ratio = session.ratio
        speedup = {
            "median": ratio.median,
            "low": ratio.low,
            "high": ratio.high,
            "n": ratio.n,
            "paired": True,
        }
        kind, vs_text = "ab", session.before.command
    goal = effort_goal(effort)
    check = check_goal(goal, measured, speedup) if goal else None
    figures: MeasurementFigures = {
        "measured": measured,
        "against": against,
        "speedup": speedup,
        "goal": check,
        "env": env,
    }
    new = NewMeasurement(effort.id, kind, measured["command"], runs, figures, vs_text)
    proves = COMPARE_PROVES + ((GOAL_PROVES,) if check and check["verdict"] == MET else ())
    return replace(_store(efforts, pack, new, figures, proves), drift=drift)


def record_load(
    store: Store, pack: Pack, effort_id: str, plan: LoadPlan, on_progress: OnProgress | None
) -> Recorded[LoadMeasurementFigures]:
    """Run Locust as planned and store its figures; a latency goal met under this load also
    proves validate-targets. A run that is stopped or fails records nothing."""
    from perfcoach.measure.commands import environment
    from perfcoach.measure.load import run_load
    from perfcoach.store import Efforts, NewMeasurement

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    load = run_load(plan, on_progress)
    goal = effort_goal(effort)
    check = check_load_goal(goal, load["total"]) if goal else None
    figures: LoadMeasurementFigures = {"load": load, "goal": check, "env": environment()}
    new = NewMeasurement(effort.id, "load", plan.command_text(), 1, figures)
    proves = LOAD_PROVES + ((GOAL_PROVES,) if check and check["verdict"] == MET else ())
    return _store(efforts, pack, new, figures, proves)


def unpaired_speedup(before: FigureSummary, after: FigureSummary) -> SpeedupData:
    """before/after median wall ratio from two separate sessions; the interval divides the
    opposite ends of the two medians' intervals, so it is wide on purpose."""
    return {
        "median": before["median"] / after["median"],
        "low": before["low"] / after["high"],
        "high": before["high"] / after["low"],
        "n": None,
        "paired": False,
    }


def _store(
    efforts: Any, pack: Pack, new: Any, figures: F, proves: Sequence[tuple[str, str]]
) -> Recorded[F]:
    """Keep only links to items this pack has, then store figures, links and ticks at once."""
    known = {
        (checklist.id, item.id)
        for checklist in pack.checklists.values()
        for item in checklist.items()
    }
    links = tuple(pair for pair in proves if pair in known)
    note = f"{AUTO_NOTE_PREFIX} ({new.kind}: {new.command})"
    return Recorded(efforts.record_measurement(new, list(links), note), links, figures)
