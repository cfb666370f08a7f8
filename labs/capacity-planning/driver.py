"""Runs beside the learner's capacity.py: calls each function on the cases it is sent and
returns what came back, case by case.

An exception in one case (an OverflowError from A**c, a ZeroDivisionError) is returned as
that case's answer, named, so the grader can count it as a miss in its function's row and
say which inputs raised, instead of ending the whole check at the first one. A number
computed in Decimal or Fraction, and a plan written as a dataclass, are the same answers in
other types: they are sent as floats and as the tuple of their fields. Nothing here knows
the expected values: the grader compares, in its own process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

FUNCTIONS = (
    "littles_law",
    "mm1_quantile",
    "erlang_c",
    "servers_for_p95",
    "usl_peak",
    "usl_fit",
    "fleet_plan",
)


def answer(
    module: ModuleType, questions: dict[str, Sequence[Sequence[Any]]]
) -> dict[str, list[Any]]:
    """For each function named in questions, its answer to every argument tuple, in order;
    a case that raised answers ("raised", "TypeName: message")."""
    answers: dict[str, list[Any]] = {}
    for name, cases in questions.items():
        if name not in FUNCTIONS:
            raise ValueError(f"the lab has no function {name!r}")
        function = getattr(module, name)
        found = []
        for args in cases:
            try:
                found.append(as_sent(function(*args)))
            except Exception as exc:  # one case's failure is that case's answer
                found.append(("raised", f"{type(exc).__name__}: {exc}"[:200]))
        answers[name] = found
    return answers


def as_sent(value: Any) -> Any:
    """value with exact numbers as floats and a dataclass as the tuple of its fields, inside
    lists and tuples too; anything else as it is (the wire reduces it, the grader judges)."""
    if isinstance(value, Decimal | Fraction):
        return float(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(as_sent(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    if isinstance(value, tuple):  # a NamedTuple plan too
        return tuple(as_sent(v) for v in value)
    return value
