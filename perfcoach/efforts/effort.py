"""Creating, renaming and deleting an effort, and summarising where it stands, for
`effort new|list|show|rename|delete`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfcoach.efforts.checklists import ChecklistState, checklist_state, effort_checklists
from perfcoach.efforts.goal import EffortGoal, parse_goal
from perfcoach.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

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


def check_effort_id(effort_id: str) -> None:
    """The id rule for efforts, as for labs: it names backups, reports and commands."""
    from perfcoach.catalog.lab import ID_PATTERN, MAX_ID_LENGTH

    if len(effort_id) > MAX_ID_LENGTH:
        raise UsageError(f"effort id is {len(effort_id):,} characters; at most {MAX_ID_LENGTH}")
    if not ID_PATTERN.match(effort_id):
        raise UsageError(
            f"effort id {effort_id!r} must use only a-z, 0-9 and single dashes (e.g. checkout-p95)"
        )


def create_effort(store: Store, effort_id: str, goal_text: str) -> tuple[Effort, EffortGoal | None]:
    """Validate the id and goal, then store the effort; returns the goal when checkable."""
    from perfcoach.store import Efforts, NewEffort

    check_effort_id(effort_id)
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


def delete_effort(store: Store, effort_id: str, backups: Path) -> tuple[Path, dict[str, int]]:
    """Save an export of all progress under backups (importing it undoes the delete), then
    remove the effort and everything recorded for it."""
    from perfcoach.store import Efforts

    efforts = Efforts(store)
    efforts.get(effort_id)
    backup = save_backup(store, backups)
    return backup, efforts.delete(effort_id)


def rename_effort(store: Store, old: str, new: str) -> Effort:
    """Move an effort and all it recorded to a new id (renaming back undoes it)."""
    from perfcoach.store import Efforts

    check_effort_id(new)
    return Efforts(store).rename(old, new)


def save_backup(store: Store, backups: Path) -> Path:
    """An export of all progress, named by the moment, that `progress import` restores."""
    import json
    from datetime import UTC, datetime

    from perfcoach.report.output import write_text
    from perfcoach.store import export_progress

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%f")
    return write_text(
        backups / f"progress-{stamp}.json",
        json.dumps(export_progress(store), indent=2, sort_keys=True) + "\n",
    )
