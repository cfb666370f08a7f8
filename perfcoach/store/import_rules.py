"""The values a progress import may carry, beyond their JSON types: a row that reads fine as
JSON but holds `"started": "yesterday"` or a NaN duration would break every later command
that shows it, so import refuses it with the first bad field named."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from perfcoach.catalog.lab import ID_PATTERN, MAX_ID_LENGTH
from perfcoach.store.efforts import MEASUREMENT_KINDS

# What perfcoach writes: UTC, to the second (quiz answers to the microsecond).
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$")
MAX_TEXT_LENGTH = 100_000  # messages, notes, goals and commands
_INT64 = 2**63
_GOAL_OPS = frozenset({"<", "<=", ">", ">="})
_METRIC_NAME = re.compile(r"^[a-z][a-z0-9]{0,15}$")
_KINDS = frozenset(MEASUREMENT_KINDS)
_SUMMARY = ("median", "low", "high", "min", "max", "spread")
_SAMPLE = ("wall_s", "cpu_s", "peak_rss_kib")
_OPTIONAL = ("cpu_s", "peak_rss_kib")  # null when imported from pyperf, which times only
_LOAD_SETTINGS = ("users", "peak_users", "spawn_rate", "run_time_s", "duration_s", "workers")
_LOAD_ROW = ("requests", "failures", "error_rate", "rps", "p50_s", "p95_s", "p99_s", "p999_s",
             "max_s")  # fmt: skip

Rule = Callable[[Any], str]


def timestamp(value: Any) -> str:
    if not _TIMESTAMP.match(value):
        return "must be a UTC timestamp like 2026-05-17T09:30:00+00:00"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return "is not a real date and time"
    return ""


def identifier(value: Any) -> str:
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.match(value):
        return f"must use only a-z, 0-9 and single dashes, at most {MAX_ID_LENGTH} characters"
    return ""


def effort_ref(value: Any) -> str:
    """An effort's id, or "" for ticks that are the learner's own (the mastery checklist)."""
    return identifier(value) if value else ""


def text(value: Any) -> str:
    return f"is longer than {MAX_TEXT_LENGTH:,} characters" if len(value) > MAX_TEXT_LENGTH else ""


def seconds(value: Any) -> str:
    return "must be a finite number of seconds, 0 or more" if not _finite(value, 0) else ""


def finite(value: Any) -> str:
    return "must be a finite number" if not _finite(value) else ""


def count(value: Any) -> str:
    return "must be a whole number, 0 or more" if not 0 <= value < _INT64 else ""


def positive(value: Any) -> str:
    return "must be a whole number, 1 or more" if not 1 <= value < _INT64 else ""


def flag(value: Any) -> str:
    return "must be 0 or 1" if value not in (0, 1) else ""


def seed(value: Any) -> str:
    return "must be a whole number from 0 to 2^63 - 1" if not 0 <= value < _INT64 else ""


def metric_name(value: Any) -> str:
    """A goal's metric as the goal grammar writes it (wall, rss, p95, …)."""
    if not _METRIC_NAME.match(value):
        return "must be a metric name like wall, cpu, rss, speedup or p95"
    return ""


def goal_op(value: Any) -> str:
    return f"must be one of {', '.join(sorted(_GOAL_OPS))}" if value not in _GOAL_OPS else ""


def kind(value: Any) -> str:
    return f"must be one of {', '.join(sorted(_KINDS))}" if value not in _KINDS else ""


def metrics(value: Any) -> str:
    """A check's metric rows: name → fields, whose value and baseline are numbers or null."""
    for name, row in value.items():
        if not isinstance(row, dict):
            return f"{name} must be an object"
        for field in ("value", "baseline", "low", "high"):
            figure = row.get(field)
            if figure is not None and not _finite(figure):
                return f"{name}.{field} must be a finite number or null"
    return ""


def figures(value: Any) -> str:
    """A measurement: what baseline, compare and load store (the shapes the README documents)."""
    if "load" in value:
        return _load_figures(value["load"]) or _goal(value.get("goal"))
    measured = value.get("measured")
    if not isinstance(measured, dict):
        return "measured must be an object"
    if not isinstance(measured.get("command"), str) or positive(_int(measured.get("runs"))):
        return "measured needs a command and a number of runs"
    for figure in _SAMPLE:
        summary = measured.get(figure)
        if summary is None and figure in _OPTIONAL:
            continue
        if not isinstance(summary, dict) or not all(
            _finite(summary.get(part)) for part in _SUMMARY
        ):
            return f"measured.{figure} needs finite {', '.join(_SUMMARY)}"
    samples = measured.get("samples")
    if not isinstance(samples, list) or not all(
        isinstance(s, dict)
        and all(_finite(s.get(f), 0) or (f in _OPTIONAL and s.get(f) is None) for f in _SAMPLE)
        for s in samples
    ):
        return f"measured.samples must be a list of runs with finite {', '.join(_SAMPLE)}"
    speedup = value.get("speedup")
    if speedup is not None and not (
        isinstance(speedup, dict)
        and all(_finite(speedup.get(p)) for p in ("median", "low", "high"))
    ):
        return "speedup must be null or have finite median, low and high"
    return _goal(value.get("goal"))


def _goal(goal: Any) -> str:
    if goal is not None and not (isinstance(goal, dict) and isinstance(goal.get("verdict"), str)):
        return "goal must be null or have a verdict"
    return ""


def _load_figures(load: Any) -> str:
    """A load run: its settings, and finite figures for the total and every request name."""
    if not isinstance(load, dict):
        return "load must be an object"
    if not all(isinstance(load.get(k), str) for k in ("locustfile", "host", "output_dir")):
        return "load needs a locustfile, host and output_dir"
    if not all(_finite(load.get(k), 0) for k in _LOAD_SETTINGS):
        return f"load needs finite {', '.join(_LOAD_SETTINGS)}, 0 or more"
    rows = load.get("requests")
    if not isinstance(rows, list):
        return "load.requests must be a list"
    for row in [load.get("total"), *rows]:
        if not (isinstance(row, dict) and all(_finite(row.get(f), 0) for f in _LOAD_ROW)):
            return f"load rows need finite {', '.join(_LOAD_ROW)}, 0 or more"
        if not isinstance(row.get("name"), str) or not isinstance(row.get("method"), str):
            return "load rows need a name and a method"
    return ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _finite(value: Any, least: float = -math.inf) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= least
    )


_TIMESTAMPS = ("started", "revealed_at", "read_at", "viewed_at", "answered_at", "created")
_IDS = ("lab_id", "lesson_id", "checklist_id", "item_id")
# Column → rule, for every table; a column named here is checked wherever it appears.
RULES: dict[str, Rule] = {
    **dict.fromkeys(_TIMESTAMPS, timestamp),
    "updated": timestamp,
    "taken": timestamp,
    **dict.fromkeys(_IDS, identifier),
    "id": identifier,  # efforts' id
    "effort_id": effort_ref,
    "uid": identifier,
    "measurement_uid": identifier,
    "goal_metric": metric_name,
    "code_hash": text,
    "perfcoach_version": text,
    "message": text,
    "note": text,
    "goal": text,
    "command": text,
    "vs_command": text,
    "duration_s": seconds,
    "goal_value": finite,
    "seed": seed,
    "hints_used": count,
    "hint_index": count,
    "question_index": count,
    "choice": count,
    "runs": positive,
    "correct": flag,
    "gave_up": flag,
    "ticked": flag,
    "goal_op": goal_op,
    "kind": kind,
    "metrics": metrics,
    "figures": figures,
}
