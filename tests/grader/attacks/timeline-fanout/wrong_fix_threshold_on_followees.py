"""Wrong fix — the celebrity test counts whom the author follows, not who follows them.

Tries: the reference hybrid (threshold 250), with scard of following:{author} against
the threshold (the two graph keys look alike): accounts that follow 250 or more would be
merged at read time.
Must not pass because: a celebrity follows as few accounts as anyone (10-70 here), so no
account passes the test and every post is fanned out to all its followers: write
amplification is that of pure fan-out.
Expect: fail on inserts_per_post_max
Says: Above a follower threshold
"""

from __future__ import annotations

import heapq
from typing import Any

CAP = 20
CELEBRITY = 250


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    followers = store.smembers(f"followers:{author}")
    if store.scard(f"following:{author}") >= CELEBRITY:
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
    page = [post_id for post_id, _ in newest][:CAP]
    gone = store.smismember("deleted", page) if page else []
    return [post_id for post_id, deleted in zip(page, gone, strict=True) if not deleted]
