"""Runs beside the learner's projection.py: hands it the grader's database and the events
the subscription delivers, and calls the three queries when the grader says.

`db` is a RemoteConnection: the database lives in the grader's process, as it would in a
database server, so the grader sees every statement and counts SQLite's work. A crash is
the grader's: from the chosen COMMIT on, the database refuses this process, and the
grader starts another one. This file knows nothing of what the answers should be.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from perfcoach.driverkit import Row

QUERIES = ("order_view", "customer_orders", "orders_with_status")
CRASH = "the projector process was killed"  # in the database's refusal after the crash


def setup(module: ModuleType, db: Any) -> None:
    """A projector process starts: its tables, and whatever it reloads."""
    module.setup(db)


def project(module: ModuleType, db: Any, batches: list[list[dict[str, Any]]]) -> None:
    """Deliver batches in order, one project() call each; a batch counts as acknowledged
    when its call returns. Once the grader has killed this process (its database refuses
    it, saying so), what project() raises is moot: the batch goes again to a new process."""
    for batch in batches:
        try:
            module.project(db, batch)
        except Exception as exc:
            if not _killed(exc):
                raise
            return


def _killed(exc: BaseException | None) -> bool:
    """Whether exc, or an exception it was raised from or while handling, is the crash."""
    seen = 0
    while exc is not None and seen < 20:
        if CRASH in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def profile_run(
    module: ModuleType, db: Any, batches: list[list[dict[str, Any]]], calls: list[Any]
) -> None:
    """What `lab profile` runs: part of the stream, then query calls."""
    project(module, db, batches)
    query(module, db, calls)


def query(module: ModuleType, db: Any, calls: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
    """One round of query calls: the grader counts their statements and VM steps."""
    answers = []
    for name, args in calls:
        if name not in QUERIES:
            raise ValueError(f"no query {name!r}")
        answers.append(_plain(getattr(module, name)(db, *args)))
    return answers


def _plain(answer: Any) -> Any:
    """Rows made with db.row_factory = sqlite3.Row travel as the tuples they compare as."""
    if isinstance(answer, Row):
        return tuple(answer)
    if isinstance(answer, list):
        return [tuple(row) if isinstance(row, Row | list) else row for row in answer]
    if isinstance(answer, list | tuple):
        return tuple(answer)
    return answer
