"""The only module that touches the progress database; everything else uses this API."""

from perfcoach.store.db import RepairReport, StoreError, check_db, repair_db
from perfcoach.store.efforts import (
    LEARNER,
    Effort,
    Efforts,
    Evidence,
    Measurement,
    NewEffort,
    NewMeasurement,
    Tick,
    UnknownEffort,
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

__all__ = [
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
    "read_progress_file",
    "repair_db",
    "reset_progress",
]
