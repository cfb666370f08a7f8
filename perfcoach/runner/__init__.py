"""Running labs: the learner's workspace, the grader and its sandboxed subjects, verdicts.

The names below load on first use, so the subject and grader processes (which import
perfcoach.runner.subject and .grader) do not pay for the catalog and the store. (The
profile function is imported from perfcoach.runner.profile: the module has its name.)
"""

from __future__ import annotations

from typing import Any

from perfcoach.lazy import attribute

_EXPORTS = {
    "CheckResult": "perfcoach.runner.check",
    "MetricRow": "perfcoach.runner.check",
    "run_check": "perfcoach.runner.check",
    "PROFILERS": "perfcoach.runner.profile",
    "Workspace": "perfcoach.runner.workspace",
    "require": "perfcoach.runner.workspace",
    "start": "perfcoach.runner.workspace",
    "workspace_dir": "perfcoach.runner.workspace",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    return attribute(__name__, _EXPORTS, name)
