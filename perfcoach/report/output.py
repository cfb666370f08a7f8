"""Writing a report or an export file so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from perfcoach.errors import PerfcoachError


def write_text(path: Path, text: str) -> Path:
    """Write text beside path and rename it into place; returns the absolute path written."""
    target = path.expanduser().resolve()
    if target.is_dir():
        raise PerfcoachError(f"{target} is a directory; give a file name with -o")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PerfcoachError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
