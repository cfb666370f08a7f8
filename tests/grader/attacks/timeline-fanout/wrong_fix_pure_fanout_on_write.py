"""Wrong fix — fan out every post on write, celebrities included.

Tries: the seed's own design: pre-compute every timeline, so a page is one zrevrange.
Must not pass because: a post by the most followed account is written into nearly every
timeline (about 900 here; 100,000 for an account with 100,000 followers): write
amplification is bounded by the largest follower count, not by anything the service
controls.
Expect: fail on inserts_per_post_max
Says: Above a follower threshold
"""

from __future__ import annotations

from typing import Any

CAP = 20


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    commands: list[tuple[Any, ...]] = []
    for follower in store.smembers(f"followers:{author}"):
        key = f"timeline:{follower}"
        commands += [("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)]
    if commands:
        store.pipeline(commands)


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    page = [post_id for post_id, _ in store.zrevrange(f"timeline:{user}", 0, CAP - 1)]
    if not page:
        return []
    gone = store.smismember("deleted", page)
    return [p for p, d in zip(page, gone, strict=True) if not d]
