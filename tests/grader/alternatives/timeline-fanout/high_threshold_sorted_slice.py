"""Correct — a high threshold (400 followers) and a sort of the bounded candidates.

Few accounts count as celebrities, so a page merges few lists; the candidates are at most
CAP from the stored timeline plus CAP per followed celebrity, so sorting them all and
slicing the newest CAP is as good as a heap merge. Decides with scard, then reads the
followers only to fan out.
Expect: pass
"""

from __future__ import annotations

from typing import Any

CAP = 20
CELEBRITY = 400


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    if store.scard(f"followers:{author}") >= CELEBRITY:
        own = f"posts:{author}"
        store.pipeline(
            [
                ("sadd", "celebrities", author),
                ("zadd", own, {post_id: at}),
                ("zremrangebyrank", own, 0, -CAP - 1),
            ]
        )
        return
    commands: list[tuple[Any, ...]] = []
    for follower in store.smembers(f"followers:{author}"):
        key = f"timeline:{follower}"
        commands.append(("zadd", key, {post_id: at}))
        commands.append(("zremrangebyrank", key, 0, -CAP - 1))
    if commands:
        store.pipeline(commands)


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    famous = store.sinter(f"following:{user}", "celebrities")
    lists = store.pipeline(
        [("zrevrange", f"timeline:{user}", 0, CAP - 1)]
        + [("zrevrange", f"posts:{c}", 0, CAP - 1) for c in famous]
    )
    candidates = [tuple(entry) for newest in lists for entry in newest]
    candidates.sort(key=lambda e: (e[1], e[0]), reverse=True)
    page = [post_id for post_id, _ in candidates[:CAP]]
    if not page:
        return []
    gone = store.smismember("deleted", page)
    return [p for p, d in zip(page, gone, strict=True) if not d]
