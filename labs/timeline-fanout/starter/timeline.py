"""The home timeline of a small social network: publish a post, delete one, read a page.

Two app instances run this module behind a balancer, each a process of its own; every
request goes to either one. The driver calls:

    publish(store, author, post_id, at)   author posted post_id at time at (an int)
    delete(store, author, post_id)        author deleted post_id
    timeline(store, user) -> [post_id, …] the user's home page: at most CAP post ids

A page is the newest CAP posts of the accounts the user follows, newest first: ordered by
(at, post_id), both descending (a larger id first when two posts share a time). A post
deleted since it was published is left out of the page, and its slot stays empty: no
older post moves up to fill it (a timeline is a cache of ids; deleted ones are dropped
when the page is built).

`store` is a Redis-like store shared by both instances (see README.md for its commands:
zadd/zrevrange/zremrangebyrank, sadd/smembers/sinter/scard/smismember, pipeline …).
Every call to it is a network round trip; pipeline() sends several commands in one. The
social graph is already in it: `followers:{user}` and `following:{user}` are sets of
user numbers.

This version fans out on read: a page reads the newest posts of every account the user
follows, one command each (sent together, in one pipeline).
"""

from __future__ import annotations

from typing import Any

CAP = 20  # posts on a page


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    """Keep the post in its author's list, the newest CAP only."""
    key = f"posts:{author}"
    store.pipeline([("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)])


def delete(store: Any, author: int, post_id: int) -> None:
    """Remember the deletion; pages leave the post out."""
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    """Merge the newest posts of everyone the user follows, then drop the deleted ones."""
    followees = store.smembers(f"following:{user}")
    lists = store.pipeline([("zrevrange", f"posts:{f}", 0, CAP - 1) for f in followees])
    entries = [entry for newest in lists for entry in newest]
    entries.sort(key=lambda entry: (entry[1], entry[0]), reverse=True)
    page = [post_id for post_id, _ in entries[:CAP]]
    gone = store.smismember("deleted", page) if page else []
    return [post_id for post_id, deleted in zip(page, gone, strict=True) if not deleted]
