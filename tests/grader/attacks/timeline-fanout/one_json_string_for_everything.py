"""Class 4 — the whole service in one JSON string value: every timeline and every deleted
id behind get("blob") and set("blob", ...).

Tries: the store counted a str value as one member however long, so each page read one
member and each post wrote one, though a page reads the whole database and a post by a
celebrity rewrites some 900 timelines inside that string.
Must not pass because: a str counts one member per 16 bytes, as it costs on the wire.
Expect: fail on entries_per_read
"""

from __future__ import annotations

import json
from typing import Any

CAP = 20


def _load(store):
    raw = store.get("blob")
    return json.loads(raw) if raw else {"tl": {}, "del": []}


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    st = _load(store)
    if "fol" not in st:
        st["fol"] = {}
    fol = st["fol"].get(str(author))
    if fol is None:
        fol = store.smembers(f"followers:{author}")
        st["fol"][str(author)] = list(fol)
    for f in fol:
        tl = st["tl"].setdefault(str(f), [])
        tl.append([at, post_id])
        tl.sort(reverse=True)
        del tl[CAP:]
    store.set("blob", json.dumps(st))


def delete(store: Any, author: int, post_id: int) -> None:
    st = _load(store)
    st["del"].append(post_id)
    store.set("blob", json.dumps(st))


def timeline(store: Any, user: int) -> list[int]:
    st = _load(store)
    gone = set(st["del"])
    return [p for _, p in st["tl"].get(str(user), [])[:CAP] if p not in gone]
