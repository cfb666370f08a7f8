"""Class 3 — find the grader's reference (posts, follow graph) and answer from it.

Tries: the bench keeps every post by author and the deletions (`Reference`, `posts`,
`deleted`, `following`). On every page, look for them: each module in sys.modules with a
bench.py file or a `Reference` class, each frame above the handler (sys._getframe) for a
local named ref, and the lab's solution/timeline.py on disk. With them, compute the page
for free; until one is found, the starter answers (fan-out on read).
Must not pass because: the reference and the comparison live in the grader's process;
nothing of them is in the instance, and the sandbox cannot read the content pack, so the
fallback is what gets graded: fan-out on read, far above the commands-per-read target.
Expect: fail on ops_per_read
"""

from __future__ import annotations

import contextlib
import heapq
import sys
from pathlib import Path
from typing import Any

CAP = 20


def _reference() -> Any:
    for module in list(sys.modules.values()):
        if Path(getattr(module, "__file__", None) or "/x").name == "bench.py":
            return getattr(module, "Reference", None)
    frame = sys._getframe(1)
    while frame is not None:
        for name in ("ref", "reference"):
            found = frame.f_locals.get(name)
            if found is not None and hasattr(found, "page"):
                return found
        frame = frame.f_back  # type: ignore[assignment]
    with contextlib.suppress(OSError):
        for parent in Path(__file__).resolve().parents:
            solution = parent / "labs" / "timeline-fanout" / "solution" / "timeline.py"
            if solution.is_file():
                return solution.read_text()
    return None


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    key = f"posts:{author}"
    store.pipeline([("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)])


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    ref = _reference()
    if ref is not None and hasattr(ref, "page"):
        return list(ref.page(user))
    followees = store.smembers(f"following:{user}")
    lists = store.pipeline([("zrevrange", f"posts:{f}", 0, CAP - 1) for f in followees])
    newest = heapq.nlargest(CAP, (tuple(e) for x in lists for e in x), key=lambda e: (e[1], e[0]))
    page = [p for p, _ in newest]
    gone = store.smismember("deleted", page) if page else []
    return [p for p, d in zip(page, gone, strict=True) if not d]
