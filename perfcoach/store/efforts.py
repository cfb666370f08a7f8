"""Typed reads and writes of efforts: checklist ticks, measured figures and evidence links."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from perfcoach.errors import UsageError
from perfcoach.store.queries import _now_text
from perfcoach.store.schema import CHECKLIST_TICKS, EFFORTS, EVIDENCE, MEASUREMENTS, insert_sql

if TYPE_CHECKING:
    from perfcoach.measure.figures import AnyFigures
    from perfcoach.store.queries import Store

LEARNER = ""  # effort_id of ticks that belong to the learner, not to an effort
MEASUREMENT_KINDS = ("baseline", "compare", "ab", "load")
COMPARED = ("compare", "ab")  # the kinds that measure a command against a before

_EFFORT_COLUMNS = ", ".join(EFFORTS.names)
_TICK_COLUMNS = ", ".join(CHECKLIST_TICKS.names)
_MEASUREMENT_COLUMNS = ", ".join(MEASUREMENTS.names)
_EVIDENCE_COLUMNS = ", ".join(EVIDENCE.names)


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
    """Figures measured by baseline/compare/load, about to be stored with their evidence links."""

    effort_id: str
    kind: str
    command: str
    runs: int
    figures: AnyFigures
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
    figures: AnyFigures
    taken: datetime


def latest(measurements: Sequence[Measurement], *kinds: str) -> Measurement | None:
    """The newest of measurements (oldest first, as stored) whose kind is one of kinds."""
    return next((m for m in reversed(measurements) if m.kind in kinds), None)


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
    fields = dict(zip(EFFORTS.names, row, strict=True))
    return Effort(**{**fields, "created": datetime.fromisoformat(fields["created"])})


def _tick(row: tuple[Any, ...]) -> Tick:
    """Rebuild a Tick from a row selected with _TICK_COLUMNS."""
    fields = dict(zip(CHECKLIST_TICKS.names, row, strict=True))
    return Tick(
        **{
            **fields,
            "ticked": bool(fields["ticked"]),
            "updated": datetime.fromisoformat(fields["updated"]),
        }
    )


def _measurement(fields: dict[str, Any]) -> Measurement:
    """Rebuild a Measurement from stored values keyed by column, decoding its text columns."""
    return Measurement(
        **{
            **fields,
            "figures": json.loads(fields["figures"]),
            "taken": datetime.fromisoformat(fields["taken"]),
        }
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
                insert_sql(EFFORTS),
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
            kept = ", ".join(column for column in EFFORTS.names if column != "id")
            conn.execute(
                f"INSERT INTO efforts (id, {kept}) SELECT ?, {kept} FROM efforts WHERE id = ?",
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
                f"{insert_sql(CHECKLIST_TICKS)} "
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
        fields: dict[str, Any] = {
            "uid": uid,
            "effort_id": new.effort_id,
            "kind": new.kind,
            "command": new.command,
            "vs_command": new.vs_command,
            "runs": new.runs,
            "figures": figures_text,
            "taken": taken,
        }
        with self._store._write() as conn:
            cursor = conn.execute(
                insert_sql(MEASUREMENTS),
                tuple(fields[column] for column in MEASUREMENTS.inserted),
            )
            for checklist_id, item_id in proves:
                conn.execute(
                    insert_sql(EVIDENCE, "INSERT OR IGNORE"),
                    (new.effort_id, checklist_id, item_id, uid),
                )
                conn.execute(
                    insert_sql(CHECKLIST_TICKS, "INSERT OR IGNORE"),
                    (new.effort_id, checklist_id, item_id, 1, auto_note, taken),
                )
        return _measurement({"id": cursor.lastrowid, **fields})

    def measurements(self, effort_id: str, kind: str | None = None) -> list[Measurement]:
        """An effort's measurements, oldest first, optionally of one kind."""
        where, params = ("AND kind = ?", (kind,)) if kind else ("", ())
        rows = self._store._rows(
            f"SELECT {_MEASUREMENT_COLUMNS} FROM measurements WHERE effort_id = ? {where} "
            "ORDER BY taken, id",
            (effort_id, *params),
        )
        return [_measurement(dict(zip(MEASUREMENTS.names, row, strict=True))) for row in rows]

    def latest_baseline(self, effort_id: str) -> Measurement | None:
        """The baseline a plain `compare` measures against: the most recent one."""
        return latest(self.measurements(effort_id, "baseline"), "baseline")

    def evidence(self, effort_id: str) -> list[Evidence]:
        """Every evidence link of an effort."""
        rows = self._store._rows(
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence "
            "WHERE effort_id = ? ORDER BY checklist_id, item_id",
            (effort_id,),
        )
        return [Evidence(**dict(zip(EVIDENCE.names, row, strict=True))) for row in rows]
