"""Class 4 — call store handles that belong to other processes, and the store's internals.

Tries: the store proxy is a numbered handle; the other instance's handle and the
starter's store are probably the neighbouring numbers. Publish through every handle that
answers (so the starter's store pays), read counters and internals the grader might
expose (`_store`, `cost`, `zsets`), and fall back to pure fan-out on write.
Must not pass because: a handle answers only the process it was given to, and the
service refuses any name that is not a store command; what is left is pure fan-out on
write, whose write amplification is the largest follower count.
Expect: fail on inserts_per_post_max
"""

from __future__ import annotations

import contextlib
from typing import Any

from perfcoach.driverkit import Remote

CAP = 20


def _poke(store: Any) -> None:
    remote = store._remote
    for name in ("_store", "cost", "zsets", "values", "longest", "load_graph"):
        with contextlib.suppress(Exception):
            remote.call(name)
    channel, handle = remote._channel, remote._handle
    for other in range(1, handle + 4):
        if other != handle:
            with contextlib.suppress(Exception):
                Remote(channel, other).call("zadd", "stolen", {1: 1})


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    _poke(store)
    commands: list[tuple[Any, ...]] = []
    for follower in store.smembers(f"followers:{author}"):
        key = f"timeline:{follower}"
        commands += [("zadd", key, {post_id: at}), ("zremrangebyrank", key, 0, -CAP - 1)]
    if commands:
        store.pipeline(commands)


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    page = [post_id for post_id, _ in store.zrevrange(f"timeline:{user}", 0, CAP - 1)]
    gone = store.smismember("deleted", page) if page else []
    return [p for p, d in zip(page, gone, strict=True) if not d]
