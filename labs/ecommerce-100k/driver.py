"""Runs in the subject, beside the learner's plan.py: calls plan() once and sends back its
answer as plain data.

The day's traffic, the engine and every figure live in the grader; nothing is sent here,
so a plan cannot see the day it is judged on. A dataclass becomes the dict of its fields
and any mapping a dict, read once, here: what the grader validates and simulates is the
data as it stood when plan() returned, whatever the object does later.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import ModuleType
from typing import Any

DEPTH = 4  # a plan is two levels deep; deeper data is sent as it is and refused there


def plan(module: ModuleType) -> Any:
    """plan() as plain data."""
    return plain(module.plan(), DEPTH)


def plain(value: Any, depth: int) -> Any:
    """value with dataclasses and mappings as dicts (str keys), sequences as lists."""
    if depth <= 0:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): plain(item, depth - 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item, depth - 1) for item in value]
    return value
