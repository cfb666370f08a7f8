"""Class 3 — load the lab's own solution/router.py from the content pack and use it.

Tries: look for labs/read-replicas/solution/router.py under the working folder's parents,
the installed perfcoach package and sys.path, exec it, and delegate every call to its
Router; if it cannot be found, send every read to the primary, as the starter does.
Must not pass because: the sandbox lets the learner's process read only its own folder
and the interpreter, not the content pack, so the reference is out of reach and the
fallback, the starter, is graded.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

_TAIL = Path("labs") / "read-replicas" / "solution" / "router.py"


def _reference() -> Any:
    roots = [Path.cwd(), *Path.cwd().parents, *(Path(p) for p in sys.path if p)]
    with contextlib.suppress(Exception):
        import perfcoach

        roots.append(Path(perfcoach.__file__).parent)
        roots.append(Path(perfcoach.__file__).parent.parent)
    for root in roots:
        with contextlib.suppress(Exception):
            source = (root / _TAIL).read_text()
            scope: dict[str, Any] = {"__name__": "reference"}
            exec(compile(source, str(root / _TAIL), "exec"), scope)
            return scope["Router"]
    return None


class Router:
    def __init__(self, replicas: int) -> None:
        found = _reference()
        self.inner = found(replicas) if found else None

    def on_write(self, session: int, position: int, now: float) -> None:
        if self.inner:
            self.inner.on_write(session, position, now)

    def on_read(self, session: int, target: Any, position: int) -> None:
        if self.inner:
            self.inner.on_read(session, target, position)

    def route_read(self, session: int, view: Any) -> Any:
        return self.inner.route_read(session, view) if self.inner else "primary"
