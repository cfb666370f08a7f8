"""Writing a report or an export file so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from perfcoach.errors import PerfcoachError, UsageError


def write_text(path: str | Path, text: str) -> Path:
    """Write text beside path and rename it into place; returns the absolute path written.

    A path that names a folder (an existing one, or any path ending in a slash, which Path
    would silently drop) is refused rather than turned into a file of that name.
    """
    raw = os.fspath(path)
    target = Path(raw).expanduser().resolve()
    if target.is_dir() or raw.endswith(("/", os.sep)):
        raise UsageError(
            f"{raw} names a folder; give a file name, e.g. {raw.rstrip('/' + os.sep)}/report.md"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 is for secrets, not reports
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PerfcoachError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _umask() -> int:
    """The process's umask (reading it means setting it; it is put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
