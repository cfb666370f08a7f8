"""Running labs: the learner's workspace, the sandboxed child, verdicts and profiles."""

from perfcoach.runner.check import CheckResult, MetricRow, run_check
from perfcoach.runner.profile import PROFILERS, profile
from perfcoach.runner.workspace import Workspace, require, start, workspace_dir

__all__ = [
    "PROFILERS",
    "CheckResult",
    "MetricRow",
    "Workspace",
    "profile",
    "require",
    "run_check",
    "start",
    "workspace_dir",
]
