"""Correct — threshold 300, one command per page for the stored timeline and the
celebrity lists together, a heap merge, and deletions as tombstone keys in one set.

The page's first pipeline asks for the followed celebrities (sinter) and the stored
timeline; the second for the celebrities' newest CAP each and, in the same round trip,
nothing else: deletions are checked once the page is known. Pages are merged lazily with
heapq.merge over lists already newest first.
Expect: pass
"""

from __future__ import annotations

import heapq
import itertools
from typing import Any

CAP = 20
CELEBRITY = 300


def _trimmed(key: str, post_id: int, at: int) -> list[tuple[Any, ...]]:
    return [("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)]


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    followers = store.smembers(f"followers:{author}")
    if len(followers) < CELEBRITY:
        store.pipeline([c for f in followers for c in _trimmed(f"tl:{f}", post_id, at)])
    else:
        store.pipeline([("sadd", "famous", author), *_trimmed(f"by:{author}", post_id, at)])


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("tombstones", post_id)


def timeline(store: Any, user: int) -> list[int]:
    famous, own = store.pipeline(
        [("sinter", "famous", f"following:{user}"), ("zrevrange", f"tl:{user}", 0, CAP - 1)]
    )
    theirs = (
        store.pipeline([("zrevrange", f"by:{c}", 0, CAP - 1) for c in famous]) if famous else []
    )
    merged = heapq.merge(own, *theirs, key=lambda e: (e[1], e[0]), reverse=True)
    page = [e[0] for e in itertools.islice(merged, CAP)]
    if not page:
        return []
    dead = store.smismember("tombstones", page)
    return [p for p, d in zip(page, dead, strict=True) if not d]
