"""The only module that touches the progress database; everything else uses this API.

Names load their module on first use (perfcoach.lazy): the app's first screen needs the
Store, not the efforts tables or the progress import rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfcoach.lazy import attribute

if TYPE_CHECKING:
    from perfcoach.store.db import RepairReport, StoreError, check_db, repair_db
    from perfcoach.store.efforts import (
        COMPARED,
        LEARNER,
        Effort,
        Efforts,
        Evidence,
        Measurement,
        NewEffort,
        NewMeasurement,
        Tick,
        UnknownEffort,
        latest,
    )
    from perfcoach.store.progress_io import (
        ImportReport,
        ProgressFileError,
        export_progress,
        import_progress,
        read_progress_file,
        reset_progress,
    )
    from perfcoach.store.queries import (
        VERDICTS,
        Attempt,
        LabProgress,
        NewAttempt,
        QuizScore,
        Store,
    )

_EXPORTS = {
    "RepairReport": "perfcoach.store.db",
    "StoreError": "perfcoach.store.db",
    "check_db": "perfcoach.store.db",
    "repair_db": "perfcoach.store.db",
    "COMPARED": "perfcoach.store.efforts",
    "LEARNER": "perfcoach.store.efforts",
    "Effort": "perfcoach.store.efforts",
    "Efforts": "perfcoach.store.efforts",
    "Evidence": "perfcoach.store.efforts",
    "Measurement": "perfcoach.store.efforts",
    "NewEffort": "perfcoach.store.efforts",
    "NewMeasurement": "perfcoach.store.efforts",
    "Tick": "perfcoach.store.efforts",
    "UnknownEffort": "perfcoach.store.efforts",
    "latest": "perfcoach.store.efforts",
    "ImportReport": "perfcoach.store.progress_io",
    "ProgressFileError": "perfcoach.store.progress_io",
    "export_progress": "perfcoach.store.progress_io",
    "import_progress": "perfcoach.store.progress_io",
    "read_progress_file": "perfcoach.store.progress_io",
    "reset_progress": "perfcoach.store.progress_io",
    "VERDICTS": "perfcoach.store.queries",
    "Attempt": "perfcoach.store.queries",
    "LabProgress": "perfcoach.store.queries",
    "NewAttempt": "perfcoach.store.queries",
    "QuizScore": "perfcoach.store.queries",
    "Store": "perfcoach.store.queries",
}

__all__ = [
    "COMPARED",
    "LEARNER",
    "VERDICTS",
    "Attempt",
    "Effort",
    "Efforts",
    "Evidence",
    "ImportReport",
    "LabProgress",
    "Measurement",
    "NewAttempt",
    "NewEffort",
    "NewMeasurement",
    "ProgressFileError",
    "QuizScore",
    "RepairReport",
    "Store",
    "StoreError",
    "Tick",
    "UnknownEffort",
    "check_db",
    "export_progress",
    "import_progress",
    "latest",
    "read_progress_file",
    "repair_db",
    "reset_progress",
]


def __getattr__(name: str) -> Any:
    return attribute(__name__, _EXPORTS, name)
