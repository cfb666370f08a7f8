"""Wrong fix — the hybrid, merged by time alone.

Tries: sort the stored timeline and the celebrities' posts by their time, newest first;
Python's sort is stable, so equal times keep the order they were gathered in.
Must not pass because: many posts share a time, and then the larger post id comes first:
ordered by time alone, a celebrity's post lands after a fanned-out post of the same time
whatever their ids.
Expect: wrong result
Says: on equal times the larger post id comes first
"""

from __future__ import annotations

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
    newest = sorted((e for newest in lists for e in newest), key=lambda e: e[1], reverse=True)
    page = [post_id for post_id, _ in newest][:CAP]
    gone = store.smismember("deleted", page) if page else []
    return [post_id for post_id, deleted in zip(page, gone, strict=True) if not deleted]
