"""Wrong fix — every post in one global sorted set; a page filters it by followee.

Tries: one insert per post and three commands per page: read the whole list of posts,
the user's followees and the deletions, and keep the newest CAP posts of followees.
Must not pass because: each page reads every post ever published (hundreds here, billions
at the seed's scale) to show 20: few commands, but the store sends the whole table.
Expect: fail on entries_per_read
Says: Reading whole lists
"""

from __future__ import annotations

from typing import Any

CAP = 20


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    store.zadd("all_posts", {post_id * 10_000 + author: at})  # the author rides in the member


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    posts, followees, gone = store.pipeline(
        [
            ("zrevrange", "all_posts", 0, -1),
            ("smembers", f"following:{user}"),
            ("smembers", "deleted"),
        ]
    )
    mine, dead = set(followees), set(gone)
    page = [m // 10_000 for m, _ in posts if m % 10_000 in mine][:CAP]
    return [p for p in page if p not in dead]
