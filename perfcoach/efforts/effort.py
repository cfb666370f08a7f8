"""Creating an effort and summarising where it stands, for `effort new|list|show`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfcoach.efforts.checklists import ChecklistState, checklist_state, effort_checklists
from perfcoach.efforts.goal import EffortGoal, parse_goal
from perfcoach.errors import UsageError

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.store import Effort, Measurement, Store

MAX_GOAL_CHARS = 500


@dataclass(frozen=True)
class EffortOverview:
    """An effort with its checklists' states and its measurements, oldest first."""

    effort: Effort
    goal: EffortGoal | None
    checklists: tuple[ChecklistState, ...]
    measurements: tuple[Measurement, ...]


def create_effort(store: Store, effort_id: str, goal_text: str) -> tuple[Effort, EffortGoal | None]:
    """Validate the id and goal, then store the effort; returns the goal when checkable."""
    from perfcoach.catalog.lab import ID_PATTERN
    from perfcoach.store import Efforts, NewEffort

    if not ID_PATTERN.match(effort_id):
        raise UsageError(
            f"effort id {effort_id!r} must use only a-z, 0-9 and single dashes (e.g. checkout-p95)"
        )
    goal_text = " ".join(goal_text.split())
    if not goal_text:
        raise UsageError("--goal must say what the effort should achieve, e.g. 'p95 < 200ms'")
    if len(goal_text) > MAX_GOAL_CHARS:
        raise UsageError(f"--goal is longer than {MAX_GOAL_CHARS} characters")
    goal = parse_goal(goal_text)
    new = NewEffort(
        effort_id,
        goal_text,
        goal.metric if goal else None,
        goal.op if goal else None,
        goal.value if goal else None,
    )
    return Efforts(store).create(new), goal


def overview(store: Store, pack: Pack, effort_id: str) -> EffortOverview:
    """Everything known about one effort, as `effort show` and the reports need it."""
    from perfcoach.efforts.measuring import effort_goal
    from perfcoach.store import Efforts

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    states = tuple(checklist_state(store, pack, c.id, effort.id) for c in effort_checklists(pack))
    return EffortOverview(
        effort, effort_goal(effort), states, tuple(efforts.measurements(effort.id))
    )
