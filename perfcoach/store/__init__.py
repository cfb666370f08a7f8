"""The only module that touches the progress database; everything else uses this API."""

from perfcoach.store.db import RepairReport, StoreError, check_db, repair_db
from perfcoach.store.queries import VERDICTS, Attempt, LabProgress, NewAttempt, Store

__all__ = [
    "VERDICTS",
    "Attempt",
    "LabProgress",
    "NewAttempt",
    "RepairReport",
    "Store",
    "StoreError",
    "check_db",
    "repair_db",
]
