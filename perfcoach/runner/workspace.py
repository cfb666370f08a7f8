"""The learner's copy of a lab's starter: created once, never overwritten without consent."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from perfcoach.catalog.lab import Lab
from perfcoach.errors import PerfcoachError, UsageError
from perfcoach.paths import workspace_root
from perfcoach.report.output import write_text


@dataclass(frozen=True)
class Workspace:
    """Where a lab's files live for the learner, and which of them were just written."""

    lab_id: str
    path: Path
    files: tuple[Path, ...]
    written: tuple[Path, ...]
    backup: Path | None = None


def workspace_dir(lab: Lab) -> Path:
    """The folder holding the learner's copy of lab."""
    return workspace_root() / lab.id


def edited_files(lab: Lab) -> list[Path]:
    """Workspace files that differ from the starter: the learner's work."""
    folder = workspace_dir(lab)
    edited = []
    for name in lab.files:
        path = folder / name
        if path.is_file() and path.read_bytes() != (lab.starter_dir / name).read_bytes():
            edited.append(path)
    return edited


def start(lab: Lab, force: bool = False) -> Workspace:
    """Copy the starter into the workspace; keep edits unless force (then back them up)."""
    folder = workspace_dir(lab)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        backup = _backup(lab, folder) if force else None
        written = []
        for name in lab.files:
            target = folder / name
            if target.exists() and not force:
                continue
            # Whole or not at all: a file cut short by a full disk would count as started.
            write_text(target, (lab.starter_dir / name).read_text(encoding="utf-8"))
            written.append(target)
    except OSError as exc:
        raise PerfcoachError(
            f"cannot write the workspace {folder}: {exc.strerror or exc}"
        ) from None
    return Workspace(lab.id, folder, tuple(folder / n for n in lab.files), tuple(written), backup)


def _backup(lab: Lab, folder: Path) -> Path | None:
    """Keep a copy of edited files before a reset, so no work is lost by accident."""
    edited = edited_files(lab)
    if not edited:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / ".backup" / stamp
    target.mkdir(parents=True)
    for path in edited:
        shutil.copy2(path, target / path.name)
    return target


def require(lab: Lab) -> Path:
    """The workspace folder, or a clear error telling the learner to start the lab first."""
    folder = workspace_dir(lab)
    missing = [name for name in lab.files if not (folder / name).is_file()]
    if missing:
        raise UsageError(
            f"lab '{lab.id}' has no {missing[0]} in {folder}: run 'perfcoach lab start {lab.id}'"
        )
    for name in lab.files:
        try:
            (folder / name).read_bytes()
        except OSError as exc:
            raise PerfcoachError(f"cannot read {folder / name}: {exc.strerror or exc}") from None
    return folder
