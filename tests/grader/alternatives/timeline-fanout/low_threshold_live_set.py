"""Correct — a lower threshold (200 followers), celebrities intersected in the instance,
deletions kept as a set of live posts.

Every published post joins a `live` set and a deletion takes it out; a page keeps the
newest CAP candidates and then only those still live. The followed celebrities are found
by reading the user's followees and the celebrity set in one pipeline and intersecting
them here, instead of with sinter.
Expect: pass
"""

from __future__ import annotations

import heapq
from typing import Any

CAP = 20
CELEBRITY = 200


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    followers = store.smembers(f"followers:{author}")
    commands: list[tuple[Any, ...]] = [("sadd", "live", post_id)]
    if len(followers) >= CELEBRITY:
        key = f"celebrity:{author}"
        commands += [
            ("sadd", "celebrities", author),
            ("zadd", key, {post_id: at}),
            ("zremrangebyrank", key, 0, -CAP - 1),
        ]
    else:
        for follower in followers:
            key = f"home:{follower}"
            commands += [("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)]
    store.pipeline(commands)


def delete(store: Any, author: int, post_id: int) -> None:
    store.srem("live", post_id)


def timeline(store: Any, user: int) -> list[int]:
    own, followees, famous = store.pipeline(
        [
            ("zrevrange", f"home:{user}", 0, CAP - 1),
            ("smembers", f"following:{user}"),
            ("smembers", "celebrities"),
        ]
    )
    mine = sorted(set(followees) & set(famous))
    lists = [own]
    if mine:
        lists += store.pipeline([("zrevrange", f"celebrity:{c}", 0, CAP - 1) for c in mine])
    top = heapq.nlargest(
        CAP, (tuple(e) for newest in lists for e in newest), key=lambda e: (e[1], e[0])
    )
    page = [post_id for post_id, _ in top]
    if not page:
        return []
    alive = store.smismember("live", page)
    return [p for p, ok in zip(page, alive, strict=True) if ok]
