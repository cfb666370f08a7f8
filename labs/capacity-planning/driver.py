"""Runs beside the learner's capacity.py: calls each function on the cases it is sent and
returns what came back, case by case.

An exception in one case (an OverflowError from A**c, a ZeroDivisionError) is returned as
that case's answer, named, so the grader can count it as a miss in its function's row and
say which inputs raised, instead of ending the whole check at the first one. Nothing here
knows the expected values: the grader compares, in its own process.
"""

from __future__ import annotations

from collections.abc import Sequence
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
                found.append(function(*args))
            except Exception as exc:  # one case's failure is that case's answer
                found.append(("raised", f"{type(exc).__name__}: {exc}"[:200]))
        answers[name] = found
    return answers
