"""Wrong fix — one global post log, kept as a comma-joined string: every page reads every
post ever published and picks the followed ones in Python.

Tries: the design of wrong_fix_one_global_post_list, with the log in one str value, which
the store counted as one member sent back, so the pages looked cheap.
Must not pass because: a str counts one member per 16 bytes; a page reads the whole log.
Expect: fail on entries_per_read
"""

from __future__ import annotations

from typing import Any

CAP = 20


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    log = store.get("log") or ""
    store.set("log", log + f"{at}:{post_id}:{author},")


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    following, log = store.pipeline([("smembers", f"following:{user}"), ("get", "log")])
    following = set(following)
    posts = []
    for rec in (log or "").split(","):
        if rec:
            at, pid, author = map(int, rec.split(":"))
            if author in following:
                posts.append((at, pid))
    posts.sort(reverse=True)
    page = [p for _, p in posts[:CAP]]
    gone = store.smismember("deleted", page) if page else []
    return [p for p, g in zip(page, gone, strict=True) if not g]
