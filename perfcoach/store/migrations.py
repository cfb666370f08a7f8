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


@MIGRATIONS()
def m002_efforts(db: Database) -> None:
    """Efforts (optimization jobs on the user's code), their checklist ticks, measured figures
    and the evidence links between them; measurements.uid lets an import skip known rows."""
    db.table("efforts").create(
        {
            "id": str,
            "goal": str,
            "goal_metric": str,
            "goal_op": str,
            "goal_value": float,
            "created": str,
        },
        pk="id",
        not_null={"id", "goal", "created"},
    )
    # effort_id is "" for checklists the learner ticks once (the mastery checklist).
    db.table("checklist_ticks").create(
        {
            "effort_id": str,
            "checklist_id": str,
            "item_id": str,
            "ticked": int,
            "note": str,
            "updated": str,
        },
        pk=("effort_id", "checklist_id", "item_id"),
        not_null={"effort_id", "checklist_id", "item_id", "ticked", "note", "updated"},
    )
    measurements = db.table("measurements")
    measurements.create(
        {
            "id": int,
            "uid": str,
            "effort_id": str,
            "kind": str,
            "command": str,
            "vs_command": str,
            "runs": int,
            "figures": str,
            "taken": str,
        },
        pk="id",
        not_null={"uid", "effort_id", "kind", "command", "runs", "figures", "taken"},
        foreign_keys=[("effort_id", "efforts", "id")],
    )
    measurements.create_index(["uid"], unique=True)
    measurements.create_index(["effort_id", "taken"])
    db.table("evidence").create(
        {"effort_id": str, "checklist_id": str, "item_id": str, "measurement_uid": str},
        pk=("effort_id", "checklist_id", "item_id", "measurement_uid"),
        not_null={"effort_id", "checklist_id", "item_id", "measurement_uid"},
    )


@MIGRATIONS()
def m003_quiz_answers(db: Database) -> None:
    """Quiz answers, one row per answer, so a score is the latest answer to each question."""
    answers = db.table("quiz_answers")
    answers.create(
        {
            "id": int,
            "lesson_id": str,
            "question_index": int,
            "choice": int,
            "correct": int,
            "answered_at": str,
        },
        pk="id",
        not_null={"lesson_id", "question_index", "choice", "correct", "answered_at"},
    )
    answers.create_index(["lesson_id", "question_index"])


@MIGRATIONS()
def m004_quiz_shuffle(db: Database) -> None:
    """The install's salt that shuffles quiz choices per learner; its one row is written on
    first use, so a repair copies the old salt instead of keeping a fresh one."""
    db.table("quiz_shuffle").create(
        {"id": int, "salt": str},
        pk="id",
        not_null={"id", "salt"},
    )


@MIGRATIONS()
def m005_current_lab(db: Database) -> None:
    """The lab the learner works on now (last started or checked): one row at most, so
    `lab check` without an id needs no guess."""
    db.table("current_lab").create(
        {"slot": int, "lab_id": str, "since": str},
        pk="slot",
        not_null={"slot", "lab_id", "since"},
    )


def migration_names() -> list[str]:
    """Every registered migration in order: what a fully migrated database has applied."""
    from sqlite_utils import Database

    return [migration.name for migration in MIGRATIONS.pending(Database(memory=True))]
