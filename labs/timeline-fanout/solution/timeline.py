"""The home timeline, hybrid: fan out on write under a follower threshold, merge the rest.

A post by an account with fewer than CELEBRITY followers is written into each follower's
timeline (a sorted set trimmed to CAP), so most of a page is one read. A post by an
account with more is kept only in its author's own list (trimmed to CAP), and the author
joins the set of celebrities; a page merges those lists in at read time. Deleted posts
are remembered in a set and left out after the cap: their slots stay empty.
"""

from __future__ import annotations

import heapq
from typing import Any

CAP = 20  # posts on a page
CELEBRITY = 250  # followers from which a post is merged at read time, not fanned out


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    """Fan out to every follower's timeline, or keep it in the celebrity's own list."""
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
    """Remember the deletion; pages leave the post out."""
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    """The stored timeline and the followed celebrities' newest posts, merged and capped."""
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
