"""Wrong fix — the hybrid, with each reader's followed celebrities (sinter of its
followees and the celebrities who have posted) stored once and read back for good.

Tries: the graph is read-only, so the learner takes the reader's celebrities to be fixed
too and saves the sinter on every later page.
Must not pass because: an account joins the celebrities when it first posts; half-way
through the reads the second most followed account posts for the first time, and the
pages of readers who had read before miss it. (Before, a first post that late came on
about one seed in 40.)
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
                ("zremrangebyrank", key, 0, -CAP - 1),
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
        [("zrevrange", f"tl:{user}", 0, CAP - 1), ("get", f"celebs_of:{user}")]
    )
    if celebs is None:
        celebs = list(store.sinter(f"following:{user}", "celebs"))
        store.set(f"celebs_of:{user}", celebs)
    entries = list(own)
    if celebs:
        for lst in store.pipeline([("zrevrange", f"posts:{c}", 0, CAP - 1) for c in celebs]):
            entries.extend(lst)
    entries.sort(key=lambda e: (e[1], e[0]), reverse=True)
    page = [p for p, _ in entries[:CAP]]
    gone = store.smismember("deleted", page) if page else []
    return [p for p, g in zip(page, gone, strict=True) if not g]
