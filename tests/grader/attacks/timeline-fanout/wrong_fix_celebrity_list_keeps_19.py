"""Wrong fix — the hybrid, with an off-by-one in the celebrities' lists: trimmed with
zremrangebyrank(key, 0, -CAP), which keeps 19, and read with zrevrange(key, 0, CAP - 2).

Tries: the stored timelines are right; only a celebrity's own list is one short, which no
page shows unless its newest 20 are all one celebrity's posts.
Must not pass because: one reader follows only the most followed account, which posts
25 times more over the history: that page is its newest 20 posts, and the list holds 19,
so a post is missing. (Before, no page needed 20 posts of one author, and this passed on
every seed.)
Expect: wrong result
Says: missing post
"""

from __future__ import annotations

from typing import Any

CAP = 20
T = 250


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    n = store.scard(f"followers:{author}")
    if n >= T:
        key = f"posts:{author}"
        store.pipeline(
            [
                ("zadd", key, {post_id: at}),
                ("zremrangebyrank", key, 0, -CAP),
                ("sadd", "celebs", author),
            ]
        )
        return
    fol = store.smembers(f"followers:{author}")
    cmds = []
    for f in fol:
        cmds.append(("zadd", f"tl:{f}", {post_id: at}))
        cmds.append(("zremrangebyrank", f"tl:{f}", 0, -CAP - 1))
    if cmds:
        store.pipeline(cmds)


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    own, celebs = store.pipeline(
        [("zrevrange", f"tl:{user}", 0, CAP - 1), ("sinter", f"following:{user}", "celebs")]
    )
    entries = list(own)
    if celebs:
        for lst in store.pipeline([("zrevrange", f"posts:{c}", 0, CAP - 2) for c in celebs]):
            entries.extend(lst)
    entries.sort(key=lambda e: (e[1], e[0]), reverse=True)
    page = [p for p, _ in entries[:CAP]]
    gone = store.smismember("deleted", page) if page else []
    return [p for p, g in zip(page, gone, strict=True) if not g]
