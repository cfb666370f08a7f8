"""Typed reads and writes of learner progress, so no other module has to write SQL."""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from perfcoach import __version__
from perfcoach.paths import db_path
from perfcoach.store.db import (
    integrity_problems,
    is_corruption,
    one_line,
    open_database,
    store_error,
    translate_errors,
    write_transaction,
)
from perfcoach.store.schema import (
    ATTEMPTS,
    CURRENT_LAB,
    HINTS,
    LESSONS_READ,
    QUIZ_ANSWERS,
    QUIZ_SHUFFLE,
    SOLUTION_VIEWS,
    insert_sql,
)
from perfcoach.verdict import ATTEMPT_VERDICTS, Verdict

VERDICTS = ATTEMPT_VERDICTS

_ATTEMPT_FIELDS = ATTEMPTS.names
_ATTEMPT_COLUMNS = ", ".join(_ATTEMPT_FIELDS)


@dataclass(frozen=True)
class NewAttempt:
    """An attempt about to be stored; a naive `started` is taken to be UTC."""

    lab_id: str
    verdict: Verdict
    metrics: dict[str, Any]
    duration_s: float
    seed: int
    code_hash: str
    hints_used: int
    message: str = ""
    started: datetime | None = None

    def __post_init__(self) -> None:
        """Reject unknown verdicts early, before they reach progress statistics."""
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {self.verdict!r}")
        object.__setattr__(self, "verdict", Verdict(self.verdict))


@dataclass(frozen=True)
class Attempt:
    """A stored attempt; uid identifies it across machines for later imports."""

    id: int
    uid: str
    lab_id: str
    started: datetime
    duration_s: float
    verdict: Verdict
    metrics: dict[str, Any]
    message: str
    code_hash: str
    seed: int
    hints_used: int
    perfcoach_version: str


@dataclass(frozen=True)
class QuizScore:
    """A lesson's quiz: the first answer to each question is the score; later answers are
    retakes, scored by the latest answer to each question."""

    lesson_id: str
    answered: int
    correct: int
    retaken: int = 0
    latest_correct: int = 0


@dataclass(frozen=True)
class LabProgress:
    """Where a learner stands on one lab, as shown by status screens."""

    lab_id: str
    status: str
    attempts: int
    last_verdict: Verdict | None
    last_attempt: datetime | None
    hints_revealed: int
    solution_viewed: bool
    gave_up: bool


def _utc_text(moment: datetime) -> str:
    """One timestamp format (UTC, seconds) so stored text sorts chronologically."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat(timespec="seconds")


def _now_text() -> str:
    """The current moment in the stored timestamp format."""
    return _utc_text(datetime.now(UTC))


def _precise_now_text() -> str:
    """The current moment to the microsecond: two answers within one second still sort in
    the order they were given, also after an export and import."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _attempt_from_row(row: tuple[Any, ...]) -> Attempt:
    """Rebuild the dataclass from a row selected with _ATTEMPT_COLUMNS."""
    return _attempt(dict(zip(_ATTEMPT_FIELDS, row, strict=True)))


def _attempt(fields: dict[str, Any]) -> Attempt:
    """Rebuild the dataclass from stored values keyed by column, decoding text columns."""
    return Attempt(
        **{
            **fields,
            "started": datetime.fromisoformat(fields["started"]),
            "verdict": Verdict(fields["verdict"]),
            "metrics": json.loads(fields["metrics"]),
        }
    )


class Store:
    """The progress database; every method returns plain values and raises only StoreError."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        """Use Store.open: it checks health and applies migrations first."""
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open the learner's database (default: perfcoach.paths.db_path())."""
        target = path if path is not None else db_path()
        return cls(target, open_database(target))

    def close(self) -> None:
        """Release the file so other processes can checkpoint and repair it."""
        with translate_errors(self.path):
            self._conn.close()

    def __enter__(self) -> Self:
        """`with Store.open() as store:` so the file is released even when a command fails."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close without swallowing the exception that ended the block."""
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Every write takes the lock up front and reports failures as StoreError."""
        with translate_errors(self.path), write_transaction(self._conn):
            yield self._conn

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run a read query, reporting failures as StoreError."""
        with translate_errors(self.path):
            return self._conn.execute(sql, params).fetchall()

    def record_attempt(self, attempt: NewAttempt) -> Attempt:
        """Store one graded run and return it as it will be read back."""
        try:
            metrics_text = json.dumps(attempt.metrics, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"attempt metrics must be JSON-serialisable: {exc}") from exc
        fields: dict[str, Any] = {
            "uid": uuid.uuid4().hex,
            "lab_id": attempt.lab_id,
            "started": _utc_text(attempt.started or datetime.now(UTC)),
            "duration_s": float(attempt.duration_s),
            "verdict": attempt.verdict,
            "metrics": metrics_text,
            "message": attempt.message,
            "code_hash": attempt.code_hash,
            "seed": attempt.seed,
            "hints_used": attempt.hints_used,
            "perfcoach_version": __version__,
        }
        with self._write() as conn:
            cursor = conn.execute(
                insert_sql(ATTEMPTS),
                tuple(fields[column] for column in ATTEMPTS.inserted),
            )
        return _attempt({"id": cursor.lastrowid, **fields})

    def attempts(self, lab_id: str | None = None, limit: int | None = None) -> list[Attempt]:
        """Stored attempts, newest first, optionally for one lab and capped at `limit`."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be zero or more, not {limit}")
        where, params = ("WHERE lab_id = ?", (lab_id,)) if lab_id is not None else ("", ())
        rows = self._rows(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts {where} "
            "ORDER BY started DESC, id DESC LIMIT ?",
            (*params, -1 if limit is None else limit),
        )
        return [_attempt_from_row(row) for row in rows]

    def lab_progress(self, lab_id: str) -> LabProgress:
        """Progress on one lab; a lab never touched is "not started"."""
        progress = self._progress(lab_id)
        return progress.get(lab_id) or _progress_for(lab_id, {}, {}, {})

    def all_progress(self) -> dict[str, LabProgress]:
        """Progress for every lab that appears in any table."""
        return self._progress(None)

    def _progress(self, lab_id: str | None) -> dict[str, LabProgress]:
        """One query per table, grouped by lab, instead of a round trip per lab."""
        where, params = ("WHERE lab_id = ?", (lab_id,)) if lab_id is not None else ("", ())
        attempt_rows = self._rows(
            "SELECT lab_id, total, passed, verdict, started FROM ("
            " SELECT lab_id, verdict, started,"
            "  COUNT(*) OVER per_lab AS total,"
            "  MAX(verdict = 'pass') OVER per_lab AS passed,"
            "  ROW_NUMBER() OVER (per_lab ORDER BY started DESC, id DESC) AS recency"
            f" FROM attempts {where} WINDOW per_lab AS (PARTITION BY lab_id)"
            ") WHERE recency = 1",
            params,
        )
        hint_rows = self._rows(
            f"SELECT lab_id, COUNT(*) FROM hints {where} GROUP BY lab_id", params
        )
        view_rows = self._rows(
            f"SELECT lab_id, MAX(gave_up) FROM solution_views {where} GROUP BY lab_id",
            params,
        )
        attempts = {row[0]: row[1:] for row in attempt_rows}
        hints = {row[0]: row[1] for row in hint_rows}
        views = {row[0]: bool(row[1]) for row in view_rows}
        labs = sorted({*attempts, *hints, *views})
        return {lab: _progress_for(lab, attempts, hints, views) for lab in labs}

    def reveal_hint(self, lab_id: str, index: int) -> None:
        """Remember a revealed hint; revealing it again keeps the first time."""
        with self._write() as conn:
            conn.execute(
                insert_sql(HINTS, "INSERT OR IGNORE"),
                (lab_id, index, _now_text()),
            )

    def hints_revealed(self, lab_id: str) -> int:
        """How many distinct hints the learner has seen for a lab."""
        (row,) = self._rows("SELECT COUNT(*) FROM hints WHERE lab_id = ?", (lab_id,))
        return row[0]

    def record_solution_view(self, lab_id: str, gave_up: bool) -> None:
        """Log each look at the solution; giving up unlocks it for good."""
        with self._write() as conn:
            conn.execute(
                insert_sql(SOLUTION_VIEWS),
                (lab_id, _now_text(), int(gave_up)),
            )

    def solution_unlocked(self, lab_id: str) -> bool:
        """The solution opens once the lab is passed or the learner has given up on it."""
        rows = self._rows(
            "SELECT EXISTS (SELECT 1 FROM attempts WHERE lab_id = ? AND verdict = 'pass') "
            "OR EXISTS (SELECT 1 FROM solution_views WHERE lab_id = ? AND gave_up = 1)",
            (lab_id, lab_id),
        )
        return bool(rows[0][0])

    def set_current_lab(self, lab_id: str) -> None:
        """Make lab_id the lab commands act on when none is named."""
        with self._write() as conn:
            conn.execute(
                insert_sql(CURRENT_LAB, "INSERT OR REPLACE"),
                (1, lab_id, _now_text()),
            )

    def current_lab(self) -> str | None:
        """The lab last started or checked, if any."""
        rows = self._rows("SELECT lab_id FROM current_lab WHERE slot = 1")
        return rows[0][0] if rows else None

    def mark_lesson_read(self, lesson_id: str) -> None:
        """Remember a lesson as read; re-reading keeps the first read_at."""
        with self._write() as conn:
            conn.execute(
                insert_sql(LESSONS_READ, "INSERT OR IGNORE"),
                (lesson_id, _now_text()),
            )

    def lessons_read(self) -> set[str]:
        """Ids of every lesson read at least once."""
        return {row[0] for row in self._rows("SELECT lesson_id FROM lessons_read")}

    def record_quiz_answer(
        self, lesson_id: str, question_index: int, choice: int, correct: bool
    ) -> int:
        """Keep every answer (choice is the authored index, whatever order was shown) and
        return its try number: 1 for the answer that scores, 2 or more for retakes."""
        with self._write() as conn:
            (earlier,) = conn.execute(
                "SELECT COUNT(*) FROM quiz_answers WHERE lesson_id = ? AND question_index = ?",
                (lesson_id, question_index),
            ).fetchone()
            conn.execute(
                insert_sql(QUIZ_ANSWERS),
                (lesson_id, question_index, choice, int(correct), _precise_now_text()),
            )
        return earlier + 1

    def quiz_scores(self) -> dict[str, QuizScore]:
        """Per lesson: questions answered, first answers right, questions answered again and
        latest answers right."""
        rows = self._rows(
            "SELECT lesson_id, COUNT(*), SUM(first_right), SUM(answers > 1), SUM(last_right)"
            " FROM (SELECT lesson_id, question_index, COUNT(*) AS answers,"
            "  MAX(CASE WHEN first = 1 THEN correct END) AS first_right,"
            "  MAX(CASE WHEN last = 1 THEN correct END) AS last_right"
            " FROM (SELECT lesson_id, question_index, correct,"
            "  ROW_NUMBER() OVER (PARTITION BY lesson_id, question_index"
            "   ORDER BY answered_at, id) AS first,"
            "  ROW_NUMBER() OVER (PARTITION BY lesson_id, question_index"
            "   ORDER BY answered_at DESC, id DESC) AS last"
            "  FROM quiz_answers) GROUP BY lesson_id, question_index)"
            " GROUP BY lesson_id"
        )
        return {
            lesson: QuizScore(lesson, answered, first_right, retaken, latest_right)
            for lesson, answered, first_right, retaken, latest_right in rows
        }

    def quiz_salt(self) -> str:
        """This install's random salt for shuffling quiz choices, created on first use."""
        rows = self._rows("SELECT salt FROM quiz_shuffle WHERE id = 1")
        if rows:
            return rows[0][0]
        with self._write() as conn:
            conn.execute(
                insert_sql(QUIZ_SHUFFLE, "INSERT OR IGNORE"),
                (1, secrets.token_hex(16)),
            )
            (salt,) = conn.execute("SELECT salt FROM quiz_shuffle WHERE id = 1").fetchone()
        return salt

    def activity_dates(self) -> set[date]:
        """UTC days with any learning activity, for the streak."""
        rows = self._rows(
            "SELECT substr(started, 1, 10) FROM attempts UNION "
            "SELECT substr(read_at, 1, 10) FROM lessons_read UNION "
            "SELECT substr(revealed_at, 1, 10) FROM hints UNION "
            "SELECT substr(answered_at, 1, 10) FROM quiz_answers"
        )
        return {date.fromisoformat(row[0]) for row in rows}

    def totals(self) -> dict[str, int]:
        """Headline numbers: attempts, labs_passed, hints_revealed, lessons_read, time_spent_s."""
        (row,) = self._rows(
            "SELECT (SELECT COUNT(*) FROM attempts), "
            "(SELECT COUNT(DISTINCT lab_id) FROM attempts WHERE verdict = 'pass'), "
            "(SELECT COUNT(*) FROM hints), "
            "(SELECT COUNT(*) FROM lessons_read), "
            "(SELECT COALESCE(SUM(duration_s), 0) FROM attempts)"
        )
        keys = (
            "attempts",
            "labs_passed",
            "hints_revealed",
            "lessons_read",
            "time_spent_s",
        )
        return {key: int(value) for key, value in zip(keys, row, strict=True)}

    def integrity_problems(self) -> list[str]:
        """PRAGMA integrity_check rows other than "ok"; corruption is reported, not raised."""
        try:
            return integrity_problems(self._conn)
        except sqlite3.Error as exc:
            if is_corruption(exc):
                return [one_line(exc)]
            raise store_error(self.path, exc) from exc

    def data_version(self) -> int:
        """A number that changes when another connection commits (SQLite's own counter, one
        cheap pragma): the TUI polls it to notice the CLI's writes."""
        with translate_errors(self.path):
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def schema_version(self) -> list[str]:
        """Names of the applied migrations, oldest first."""
        from perfcoach.store.lean_import import import_sqlite_utils
        from perfcoach.store.migrations import MIGRATIONS

        db = import_sqlite_utils().Database(self._conn, execute_plugins=False)
        with translate_errors(self.path):
            return [migration.name for migration in MIGRATIONS.applied(db)]


def _progress_for(
    lab_id: str,
    attempts: dict[str, tuple[Any, ...]],
    hints: dict[str, int],
    views: dict[str, bool],
) -> LabProgress:
    """Combine the per-table aggregates for one lab into its LabProgress."""
    count, passed, last_verdict, last_started = attempts.get(lab_id, (0, 0, None, None))
    status = "not started" if count == 0 else "passed" if passed else "failing"
    return LabProgress(
        lab_id=lab_id,
        status=status,
        attempts=count,
        last_verdict=None if last_verdict is None else Verdict(last_verdict),
        last_attempt=datetime.fromisoformat(last_started) if last_started else None,
        hints_revealed=hints.get(lab_id, 0),
        solution_viewed=lab_id in views,
        gave_up=views.get(lab_id, False),
    )
