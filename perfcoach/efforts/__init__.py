"""Efforts: optimization jobs on the user's own code, with checklists and measured evidence.

The CLI and the TUI's Efforts screen both call these functions; nothing here imports a UI.
"""

from perfcoach.efforts.checklists import (
    ChecklistState,
    ItemState,
    SectionState,
    checklist_state,
    effort_checklists,
    set_tick,
    template,
)
from perfcoach.efforts.effort import (
    EffortOverview,
    create_effort,
    delete_effort,
    overview,
    rename_effort,
    save_backup,
)
from perfcoach.efforts.goal import EffortGoal, check_goal, parse_goal
from perfcoach.efforts.measuring import Recorded, record_baseline, record_compare, record_load

__all__ = [
    "ChecklistState",
    "EffortGoal",
    "EffortOverview",
    "ItemState",
    "Recorded",
    "SectionState",
    "check_goal",
    "checklist_state",
    "create_effort",
    "delete_effort",
    "effort_checklists",
    "overview",
    "parse_goal",
    "record_baseline",
    "record_compare",
    "record_load",
    "rename_effort",
    "save_backup",
    "set_tick",
    "template",
]
