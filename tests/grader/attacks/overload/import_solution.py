"""Class 3 — load the lab's reference solution from the content pack and use it.

Tries: find labs/overload/solution/server.py next to the installed perfcoach (or the
repository) and execute it, delegating the three functions to it; the starter's
behaviour if it cannot be read.
Must not pass because: the sandbox cannot read the content pack (Landlock, and the
audit hook as the portable layer), so the solution is never found, and what runs is the
starter's unbounded FIFO, which misses every target.
Expect: not pass
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

_reference: dict[str, Any] = {}


def _find() -> None:
    import perfcoach

    root = Path(perfcoach.__file__).resolve().parent
    for base in (root / "pack", root.parent):
        path = base / "labs" / "overload" / "solution" / "server.py"
        with contextlib.suppress(Exception):
            exec(compile(path.read_text(), str(path), "exec"), _reference)
            return


with contextlib.suppress(Exception):
    _find()


def admit(view: Any) -> bool:
    if "admit" in _reference:
        return bool(_reference["admit"](view))
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    if "drop" in _reference:
        return bool(_reference["drop"](request, now))
    return False
