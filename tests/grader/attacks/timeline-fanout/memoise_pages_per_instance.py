"""Class 5 — memoise each page in the instance, dropped only by posts this instance sees.

Tries: the hybrid (threshold 250), plus a module-level dict of pages by user: a page read
twice costs nothing the second time, and a publish or delete handled here clears the
pages it touches. Readers come back about five times each, so most pages are free.
Must not pass because: the other instance publishes and deletes too, and this one never
hears of it: a remembered page misses posts published there and keeps posts deleted
there. Every page is compared with the reference, remembered or not.
Expect: wrong result
"""

from __future__ import annotations

import heapq
from typing import Any

CAP = 20
CELEBRITY = 250
_PAGES: dict[int, list[int]] = {}


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    _PAGES.clear()
    followers = store.smembers(f"followers:{author}")
    if len(followers) >= CELEBRITY:
        key = f"posts:{author}"
        store.pipeline(
            [
                ("zadd", key, {post_id: at}),
                ("zremrangebyrank", key, 0, -CAP - 1),
                ("sadd", "celebrities", author),
            ]
        )
        return
    commands: list[tuple[Any, ...]] = []
    for follower in followers:
        key = f"timeline:{follower}"
        commands += [("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)]
    if commands:
        store.pipeline(commands)


def delete(store: Any, author: int, post_id: int) -> None:
    _PAGES.clear()
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    if user in _PAGES:
        return list(_PAGES[user])
    own, famous = store.pipeline(
        [
            ("zrevrange", f"timeline:{user}", 0, CAP - 1),
            ("sinter", f"following:{user}", "celebrities"),
        ]
    )
    lists = [own]
    if famous:
        lists += store.pipeline([("zrevrange", f"posts:{c}", 0, CAP - 1) for c in famous])
    newest = heapq.merge(*lists, key=lambda e: (e[1], e[0]), reverse=True)
    page = [p for p, _ in newest][:CAP]
    gone = store.smismember("deleted", page) if page else []
    _PAGES[user] = [p for p, d in zip(page, gone, strict=True) if not d]
    return list(_PAGES[user])
