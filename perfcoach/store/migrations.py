"""Schema history of the progress database, append-only so every install converges on one schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlite_utils.migrations import Migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS = Migrations("perfcoach")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Create the progress tables; attempts.uid lets a later import skip rows it already has."""
    attempts = db.table("attempts")
    attempts.create(
        {
            "id": int,
            "uid": str,
            "lab_id": str,
            "started": str,
            "duration_s": float,
            "verdict": str,
            "metrics": str,
            "message": str,
            "code_hash": str,
            "seed": int,
            "hints_used": int,
            "perfcoach_version": str,
        },
        pk="id",
        not_null={"uid", "lab_id", "started", "verdict", "metrics"},
    )
    attempts.create_index(["uid"], unique=True)
    attempts.create_index(["lab_id", "started"])
    db.table("hints").create(
        {"lab_id": str, "hint_index": int, "revealed_at": str},
        pk=("lab_id", "hint_index"),
        not_null={"lab_id", "hint_index", "revealed_at"},
    )
    db.table("lessons_read").create(
        {"lesson_id": str, "read_at": str},
        pk="lesson_id",
        not_null={"lesson_id", "read_at"},
    )
    db.table("solution_views").create(
        {"id": int, "lab_id": str, "viewed_at": str, "gave_up": int},
        pk="id",
        not_null={"lab_id", "viewed_at", "gave_up"},
    )
