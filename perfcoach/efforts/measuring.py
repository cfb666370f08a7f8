"""Baseline and compare: measure a real command for an effort and attach the figures as
evidence to the checklist items they prove."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from perfcoach.efforts.checklists import AUTO_NOTE_PREFIX
from perfcoach.efforts.goal import MET, EffortGoal, check_goal
from perfcoach.errors import UsageError
from perfcoach.measure.figures import (
    CommandFiguresData,
    FigureSummary,
    MeasurementFigures,
    SpeedupData,
)

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.measure.commands import OnRun
    from perfcoach.store import Effort, Measurement, Store

BASELINE_PROVES = (("pre", "baseline-metrics"), ("pre", "document-current"))
COMPARE_PROVES = (("post", "measure-improvements"), ("post", "compare-baseline"))
GOAL_PROVES = ("post", "validate-targets")


@dataclass(frozen=True)
class Recorded:
    """A stored measurement and the checklist items it was attached to."""

    measurement: Measurement
    proved: tuple[tuple[str, str], ...]

    @property
    def figures(self) -> MeasurementFigures:
        """The stored figures (shape documented in README: measurement figures)."""
        return self.measurement.figures


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
) -> Recorded:
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
    return _store(efforts, pack, new, BASELINE_PROVES)


def record_compare(
    store: Store,
    pack: Pack,
    effort_id: str,
    argv: Sequence[str],
    vs: Sequence[str] | None,
    runs: int,
    timeout_s: float,
    on_run: OnRun | None = None,
) -> Recorded:
    """Measure argv against the latest baseline, or interleaved against vs when given."""
    from perfcoach.measure.commands import environment, interleave, measure_command
    from perfcoach.store import Efforts, NewMeasurement

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    speedup: SpeedupData
    if vs is None:
        baseline = efforts.latest_baseline(effort.id)
        if baseline is None:
            raise UsageError(
                f"effort '{effort.id}' has no baseline yet: run "
                f"'perfcoach baseline {effort.id} -- CMD' first, or give --vs 'OLD CMD' "
                "to measure both in one session"
            )
        measured = measure_command(argv, runs, timeout_s, on_run).to_json()
        against: CommandFiguresData = {**baseline.figures["measured"], "uid": baseline.uid}
        speedup = unpaired_speedup(against["wall_s"], measured["wall_s"])
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
        "env": environment(),
    }
    new = NewMeasurement(effort.id, kind, measured["command"], runs, figures, vs_text)
    proves = COMPARE_PROVES + ((GOAL_PROVES,) if check and check["verdict"] == MET else ())
    return _store(efforts, pack, new, proves)


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


def _store(efforts: Any, pack: Pack, new: Any, proves: Sequence[tuple[str, str]]) -> Recorded:
    """Keep only links to items this pack has, then store figures, links and ticks at once."""
    known = {
        (checklist.id, item.id)
        for checklist in pack.checklists.values()
        for item in checklist.items()
    }
    links = tuple(pair for pair in proves if pair in known)
    note = f"{AUTO_NOTE_PREFIX} ({new.kind}: {new.command})"
    return Recorded(efforts.record_measurement(new, list(links), note), links)
