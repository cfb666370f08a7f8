"""Notice when the learner saves a file, by polling: it works on every filesystem and editor.

Editors save in many ways (rewrite in place, write a temp file and rename, touch only
the mtime), so the signature includes size, mtime and inode; a change in any of them
counts as a save. Polling a couple of small files twice a second costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

Signature = tuple[tuple[int, int, int] | None, ...]

POLL_INTERVAL_S = 0.5


def signature(paths: Sequence[Path]) -> Signature:
    """(mtime_ns, size, inode) of each file, None for a missing one."""
    result: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            result.append(None)
            continue
        result.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(result)


class FileWatcher:
    """Tells, each time it is polled, whether any watched file changed since the last poll."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        self._last = signature(self.paths)

    def changed(self) -> bool:
        """True once per change (a save seen now is not reported again)."""
        current = signature(self.paths)
        if current == self._last:
            return False
        self._last = current
        return True
