"""Typed reads and writes of efforts: checklist ticks, measured figures and evidence links."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from perfcoach.errors import UsageError
from perfcoach.store.queries import _now_text

if TYPE_CHECKING:
    from perfcoach.measure.figures import MeasurementFigures
    from perfcoach.store.queries import Store

LEARNER = ""  # effort_id of ticks that belong to the learner, not to an effort
MEASUREMENT_KINDS = ("baseline", "compare", "ab")

_EFFORT_COLUMNS = "id, goal, goal_metric, goal_op, goal_value, created"
_TICK_COLUMNS = "effort_id, checklist_id, item_id, ticked, note, updated"
_MEASUREMENT_COLUMNS = "id, uid, effort_id, kind, command, vs_command, runs, figures, taken"


@dataclass(frozen=True)
class NewEffort:
    """An effort about to be created; the goal_* fields hold the goal when it is numeric."""

    id: str
    goal: str
    goal_metric: str | None = None
    goal_op: str | None = None
    goal_value: float | None = None


@dataclass(frozen=True)
class Effort:
    """One optimization job on the user's own code, with the goal it must reach."""

    id: str
    goal: str
    goal_metric: str | None
    goal_op: str | None
    goal_value: float | None
    created: datetime


@dataclass(frozen=True)
class Tick:
    """The state of one checklist item for one effort (or for the learner)."""

    effort_id: str
    checklist_id: str
    item_id: str
    ticked: bool
    note: str
    updated: datetime


@dataclass(frozen=True)
class NewMeasurement:
    """Figures measured by baseline/compare, about to be stored with their evidence links."""

    effort_id: str
    kind: str
    command: str
    runs: int
    figures: MeasurementFigures
    vs_command: str | None = None

    def __post_init__(self) -> None:
        """An unknown kind would never show up in reports; refuse it at once."""
        if self.kind not in MEASUREMENT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(MEASUREMENT_KINDS)}")


@dataclass(frozen=True)
class Measurement:
    """Stored figures; uid identifies them across machines for later imports."""

    id: int
    uid: str
    effort_id: str
    kind: str
    command: str
    vs_command: str | None
    runs: int
    figures: MeasurementFigures
    taken: datetime


@dataclass(frozen=True)
class Evidence:
    """A measurement attached to a checklist item as proof that it was done."""

    effort_id: str
    checklist_id: str
    item_id: str
    measurement_uid: str


class UnknownEffort(UsageError):
    """The user named an effort that does not exist; the message lists those that do."""


def _effort(row: tuple[Any, ...]) -> Effort:
    """Rebuild an Effort from a row selected with _EFFORT_COLUMNS."""
    effort_id, goal, goal_metric, goal_op, goal_value, created = row
    return Effort(
        effort_id, goal, goal_metric, goal_op, goal_value, datetime.fromisoformat(created)
    )


def _tick(row: tuple[Any, ...]) -> Tick:
    """Rebuild a Tick from a row selected with _TICK_COLUMNS."""
    effort_id, checklist_id, item_id, ticked, note, updated = row
    return Tick(
        effort_id, checklist_id, item_id, bool(ticked), note, datetime.fromisoformat(updated)
    )


def _measurement(row: tuple[Any, ...]) -> Measurement:
    """Rebuild a Measurement from a row selected with _MEASUREMENT_COLUMNS."""
    row_id, uid, effort_id, kind, command, vs_command, runs, figures, taken = row
    return Measurement(
        row_id,
        uid,
        effort_id,
        kind,
        command,
        vs_command,
        runs,
        json.loads(figures),
        datetime.fromisoformat(taken),
    )


class Efforts:
    """Effort data in the progress database; methods return dataclasses, raise StoreError."""

    def __init__(self, store: Store) -> None:
        """Share the store's connection so effort writes queue with every other write."""
        self._store = store

    def create(self, new: NewEffort) -> Effort:
        """Create an effort; an id already in use is a usage error, not an overwrite."""
        created = _now_text()
        with self._store._write() as conn:
            exists = conn.execute("SELECT 1 FROM efforts WHERE id = ?", (new.id,)).fetchone()
            if exists:
                raise UsageError(f"effort '{new.id}' already exists (see: perfcoach effort show)")
            conn.execute(
                f"INSERT INTO efforts ({_EFFORT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (new.id, new.goal, new.goal_metric, new.goal_op, new.goal_value, created),
            )
        return Effort(
            new.id,
            new.goal,
            new.goal_metric,
            new.goal_op,
            new.goal_value,
            datetime.fromisoformat(created),
        )

    def all(self) -> list[Effort]:
        """Every effort, oldest first."""
        rows = self._store._rows(f"SELECT {_EFFORT_COLUMNS} FROM efforts ORDER BY created, id")
        return [_effort(row) for row in rows]

    def get(self, effort_id: str) -> Effort:
        """The effort called effort_id, or UnknownEffort naming the ones that exist."""
        rows = self._store._rows(
            f"SELECT {_EFFORT_COLUMNS} FROM efforts WHERE id = ?", (effort_id,)
        )
        if rows:
            return _effort(rows[0])
        known = ", ".join(effort.id for effort in self.all()) or "none yet"
        raise UnknownEffort(
            f"unknown effort '{effort_id}' (efforts: {known}; create one with "
            "'perfcoach effort new ID --goal TEXT')"
        )

    def delete(self, effort_id: str) -> dict[str, int]:
        """Remove an effort with its ticks, measurements and evidence, in one transaction;
        rows deleted per table (an unknown id raises UnknownEffort, deleting nothing)."""
        self.get(effort_id)
        deleted: dict[str, int] = {}
        with self._store._write() as conn:
            for table in ("evidence", "checklist_ticks", "measurements"):
                deleted[table] = conn.execute(
                    f"DELETE FROM {table} WHERE effort_id = ?", (effort_id,)
                ).rowcount
            deleted["efforts"] = conn.execute(
                "DELETE FROM efforts WHERE id = ?", (effort_id,)
            ).rowcount
        return deleted

    def rename(self, old: str, new: str) -> Effort:
        """Give an effort a new id, carrying its ticks, measurements and evidence over, in
        one transaction; a new id already in use is a usage error."""
        effort = self.get(old)
        with self._store._write() as conn:
            if conn.execute("SELECT 1 FROM efforts WHERE id = ?", (new,)).fetchone():
                raise UsageError(f"effort '{new}' already exists (see: perfcoach effort list)")
            conn.execute(
                f"INSERT INTO efforts ({_EFFORT_COLUMNS}) "
                f"SELECT ?, goal, goal_metric, goal_op, goal_value, created FROM efforts "
                "WHERE id = ?",
                (new, old),
            )
            for table in ("checklist_ticks", "measurements", "evidence"):
                conn.execute(f"UPDATE {table} SET effort_id = ? WHERE effort_id = ?", (new, old))
            conn.execute("DELETE FROM efforts WHERE id = ?", (old,))
        return Effort(
            new, effort.goal, effort.goal_metric, effort.goal_op, effort.goal_value, effort.created
        )

    def set_tick(
        self, effort_id: str, checklist_id: str, item_id: str, ticked: bool, note: str | None
    ) -> Tick:
        """Tick or untick an item; note=None keeps the note already written."""
        now = _now_text()
        with self._store._write() as conn:
            conn.execute(
                f"INSERT INTO checklist_ticks ({_TICK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (effort_id, checklist_id, item_id) DO UPDATE SET "
                "ticked = excluded.ticked, updated = excluded.updated, "
                "note = CASE WHEN ? THEN excluded.note ELSE note END",
                (effort_id, checklist_id, item_id, int(ticked), note or "", now, note is not None),
            )
            row = conn.execute(
                f"SELECT {_TICK_COLUMNS} FROM checklist_ticks "
                "WHERE effort_id = ? AND checklist_id = ? AND item_id = ?",
                (effort_id, checklist_id, item_id),
            ).fetchone()
        return _tick(row)

    def ticks(self, effort_id: str) -> dict[tuple[str, str], Tick]:
        """Every tick row of an effort (or LEARNER), keyed by (checklist_id, item_id)."""
        rows = self._store._rows(
            f"SELECT {_TICK_COLUMNS} FROM checklist_ticks WHERE effort_id = ?", (effort_id,)
        )
        return {(row[1], row[2]): _tick(row) for row in rows}

    def record_measurement(
        self, new: NewMeasurement, proves: list[tuple[str, str]], auto_note: str
    ) -> Measurement:
        """Store figures, link them to the (checklist, item) pairs they prove, and tick those
        items unless the user already set them: one transaction, so nothing half-recorded."""
        try:
            figures_text = json.dumps(new.figures, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"figures must be JSON-serialisable: {exc}") from exc
        uid = uuid.uuid4().hex
        taken = _now_text()
        values = (
            uid,
            new.effort_id,
            new.kind,
            new.command,
            new.vs_command,
            new.runs,
            figures_text,
            taken,
        )
        with self._store._write() as conn:
            cursor = conn.execute(
                "INSERT INTO measurements "
                "(uid, effort_id, kind, command, vs_command, runs, figures, taken) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            for checklist_id, item_id in proves:
                conn.execute(
                    "INSERT OR IGNORE INTO evidence "
                    "(effort_id, checklist_id, item_id, measurement_uid) VALUES (?, ?, ?, ?)",
                    (new.effort_id, checklist_id, item_id, uid),
                )
                conn.execute(
                    f"INSERT OR IGNORE INTO checklist_ticks ({_TICK_COLUMNS}) "
                    "VALUES (?, ?, ?, 1, ?, ?)",
                    (new.effort_id, checklist_id, item_id, auto_note, taken),
                )
        return _measurement((cursor.lastrowid, *values))

    def measurements(self, effort_id: str, kind: str | None = None) -> list[Measurement]:
        """An effort's measurements, oldest first, optionally of one kind."""
        where, params = ("AND kind = ?", (kind,)) if kind else ("", ())
        rows = self._store._rows(
            f"SELECT {_MEASUREMENT_COLUMNS} FROM measurements WHERE effort_id = ? {where} "
            "ORDER BY taken, id",
            (effort_id, *params),
        )
        return [_measurement(row) for row in rows]

    def latest_baseline(self, effort_id: str) -> Measurement | None:
        """The baseline a plain `compare` measures against: the most recent one."""
        baselines = self.measurements(effort_id, "baseline")
        return baselines[-1] if baselines else None

    def evidence(self, effort_id: str) -> list[Evidence]:
        """Every evidence link of an effort."""
        rows = self._store._rows(
            "SELECT effort_id, checklist_id, item_id, measurement_uid FROM evidence "
            "WHERE effort_id = ? ORDER BY checklist_id, item_id",
            (effort_id,),
        )
        return [Evidence(*row) for row in rows]
