"""The effort report as JSON (format "perfcoach-effort-report", version 1; see README)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from perfcoach.report.model import REPORT_FORMAT, REPORT_VERSION, EffortReport

if TYPE_CHECKING:
    from perfcoach.efforts import ChecklistState


def report_document(report: EffortReport) -> dict[str, Any]:
    """The documented shape as plain data, for tools and the TUI alike."""
    effort = report.effort
    goal = report.goal
    return {
        "format": REPORT_FORMAT,
        "format_version": REPORT_VERSION,
        "generated": report.generated.isoformat(),
        "perfcoach_version": report.perfcoach_version,
        "effort": {
            "id": effort.id,
            "goal": effort.goal,
            "goal_check": (
                {
                    "metric": goal.metric,
                    "op": goal.op,
                    "value": goal.value,
                    "means": goal.describe(),
                }
                if goal
                else None
            ),
            "created": effort.created.isoformat(),
        },
        "latest_comparison": (
            report.latest_comparison.uid if report.latest_comparison is not None else None
        ),
        "measurements": [
            {
                "uid": m.uid,
                "kind": m.kind,
                "command": m.command,
                "vs_command": m.vs_command,
                "runs": m.runs,
                "taken": m.taken.isoformat(),
                "figures": m.figures,
            }
            for m in report.measurements
        ],
        "checklists": [_checklist(state) for state in report.checklists],
    }


def _checklist(state: ChecklistState) -> dict[str, Any]:
    """One checklist with every item's state, in template order."""
    return {
        "id": state.checklist.id,
        "title": state.checklist.title,
        "done": state.done,
        "total": state.total,
        "sections": [
            {
                "id": section.section.id,
                "title": section.section.title,
                "items": [
                    {
                        "id": s.item.id,
                        "text": s.item.text,
                        "why": s.item.why,
                        "ticked": s.ticked,
                        "by": s.by or None,
                        "note": s.note,
                        "evidence": list(s.evidence),
                    }
                    for s in section.items
                ],
            }
            for section in state.sections
        ],
    }


def to_json(report: EffortReport) -> str:
    """Pretty, key-sorted JSON text ending in a newline."""
    return json.dumps(report_document(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
