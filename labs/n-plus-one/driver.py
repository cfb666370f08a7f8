"""Runs beside the learner's orders.py: hands it the grader's database, returns its report.

`conn` is a RemoteConnection: the database lives in the grader's process, as a database
server lives in its own, so every statement is a round trip that the grader counts.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def report(module: ModuleType, conn: Any, since: str) -> Any:
    """One report."""
    return module.order_report(conn, since)


def reports(module: ModuleType, conn: Any, sinces: list[str]) -> list[Any]:
    """One report per date: a timed round trip."""
    return [module.order_report(conn, since) for since in sinces]
