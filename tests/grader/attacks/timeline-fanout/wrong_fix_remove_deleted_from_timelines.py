"""Wrong fix — a deletion removes the post from every follower's timeline.

Tries: on delete, zrem the post from the author's list and from each follower's stored
timeline, so pages need no check at read time.
Must not pass because: a timeline trimmed to CAP that loses a post keeps, after its next
insert, one post older than the newest CAP: the deleted post's slot is filled by an older
one, where a page leaves it empty (deleted posts are dropped after the cap).
Expect: wrong result
Says: slot stays empty
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
    commands: list[tuple[Any, ...]] = [("zrem", f"posts:{author}", post_id)]
    for follower in store.smembers(f"followers:{author}"):
        commands.append(("zrem", f"timeline:{follower}", post_id))
    store.pipeline(commands)


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
    return page
