"""Class 4 + 5 — share the timelines between instances, and between runs, through a file.

Tries: both instances run on one machine, so keep every timeline in a JSON file any of
them can open: /dev/shm, the system temp dir, /var/tmp or the working dir's parent,
whichever can be written. Posts are fanned out into the file for free; a page costs one
store command. A file that outlives the check would also remember pages across runs.
Must not pass because: each instance is a sandboxed process that may write only inside
its own temporary directory, which no other instance sees and which is deleted after the
check: a write anywhere else is refused (the check ends as an error), and a file in its
own directory holds only what this instance did, so pages come out wrong.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CAP = 20
_PLACES = ["/dev/shm", tempfile.gettempdir(), "/var/tmp", str(Path.cwd().parent), os.getcwd()]


def _path() -> Path:
    for place in _PLACES:
        candidate = Path(place) / "perfcoach-timelines.json"
        with contextlib.suppress(OSError):
            if not candidate.exists():
                candidate.write_text("{}")
            return candidate
    return Path(os.getcwd()) / "perfcoach-timelines.json"


def _load() -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        return dict(json.loads(_path().read_text()))
    return {}


def _save(data: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        _path().write_text(json.dumps(data))


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    data = _load()
    for follower in store.smembers(f"followers:{author}"):
        data.setdefault(str(follower), []).append([at, post_id])
    _save(data)


def delete(store: Any, author: int, post_id: int) -> None:
    data = _load()
    data.setdefault("deleted", []).append(post_id)
    _save(data)


def timeline(store: Any, user: int) -> list[int]:
    store.scard(f"following:{user}")
    data = _load()
    newest = sorted((tuple(e) for e in data.get(str(user), [])), reverse=True)[:CAP]
    gone = set(data.get("deleted", []))
    return [p for _, p in newest if p not in gone]
