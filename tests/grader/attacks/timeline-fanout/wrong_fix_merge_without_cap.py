"""Wrong fix — the hybrid, with the celebrities' posts appended after the cap.

Tries: the stored timeline is already capped at CAP and each celebrity list too, so the
merge of the two is returned whole.
Must not pass because: the union of capped lists is longer than CAP; a page is the newest
CAP of the merge.
Expect: wrong result
Says: a page holds at most CAP
"""

from __future__ import annotations

import heapq
from typing import Any

CAP = 20
CELEBRITY = 250


def publish(store: Any, author: int, post_id: int, at: int) -> None:
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
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    own, famous = store.pipeline(
        [
            ("zrevrange", f"timeline:{user}", 0, CAP - 1),
            ("sinter", f"following:{user}", "celebrities"),
        ]
    )
    lists = [own]
    if famous:
        lists += store.pipeline([("zrevrange", f"posts:{c}", 0, CAP - 1) for c in famous])
    newest = heapq.merge(*lists, key=lambda entry: (entry[1], entry[0]), reverse=True)
    page = [post_id for post_id, _ in newest]
    gone = store.smismember("deleted", page) if page else []
    return [post_id for post_id, deleted in zip(page, gone, strict=True) if not deleted]
