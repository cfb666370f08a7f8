"""Wrong fix — the hybrid, with timelines that are never trimmed.

Tries: fan out under the threshold and merge the celebrities, slicing the page to CAP
when it is read; the stored timelines and the celebrities' lists keep every post.
Must not pass because: a page never needs more than the newest CAP of any one list, so
everything older is memory the store spends for nothing, growing with every post.
Expect: fail on longest_sorted_set
Says: Trim after every insert
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
                ("sadd", "celebrities", author),
            ]
        )
        return
    commands: list[tuple[Any, ...]] = []
    for follower in followers:
        key = f"timeline:{follower}"
        commands.append(("zadd", key, {post_id: at}))
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
