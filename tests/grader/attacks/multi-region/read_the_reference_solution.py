"""Class 3 — load the lab's own solution/regions.py from the content pack and use it.

Tries: look for labs/multi-region/solution/regions.py under the working folder's parents,
the installed perfcoach package and sys.path, exec it, and delegate every call to it; if it
cannot be found, behave as the starter does.
Must not pass because: the sandbox lets the learner's process read only its own folder and
the interpreter, not the content pack, so the reference is out of reach and the fallback,
the starter, is graded.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

_TAIL = Path("labs") / "multi-region" / "solution" / "regions.py"


def _reference() -> dict[str, Any] | None:
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
            return scope
    return None


_FOUND = _reference()


def promote(view: Any) -> str | None:
    if _FOUND:
        return _FOUND["promote"](view)
    if view.heartbeat_ms[view.primary] < 300:
        return None
    return max((r for r in view.regions if r != view.primary), key=lambda r: view.applied[r])


def accept_write(node: Any) -> Any:
    return _FOUND["accept_write"](node) if _FOUND else True


class Router:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.inner = _FOUND["Router"](regions) if _FOUND else None

    def on_write(self, session: int, position: int, now: float) -> None:
        if self.inner:
            self.inner.on_write(session, position, now)

    def route_read(self, session: int, region: str, view: Any) -> Any:
        return self.inner.route_read(session, region, view) if self.inner else view.primary
