"""Class 4 — keep every timeline in the instance's memory; the store sees one read a page.

Tries: fan out on write into a module-level dict (free: no store command), and send one
cheap command per page (scard) so the read count looks plausible. Write amplification
and store commands per read are then next to nothing.
Must not pass because: the store is the instrumented channel and the only state both
instances share: each instance is its own process, and the balancer sends every request
to either, so each instance's dict holds about half the posts and pages come out wrong.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any

CAP = 20
_TIMELINES: dict[int, dict[int, int]] = {}
_DELETED: set[int] = set()
_FOLLOWERS: dict[int, list[int]] = {}


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    if author not in _FOLLOWERS:
        _FOLLOWERS[author] = store.smembers(f"followers:{author}")
    for follower in _FOLLOWERS[author]:
        _TIMELINES.setdefault(follower, {})[post_id] = at


def delete(store: Any, author: int, post_id: int) -> None:
    _DELETED.add(post_id)


def timeline(store: Any, user: int) -> list[int]:
    store.scard(f"following:{user}")
    entries = _TIMELINES.get(user, {})
    newest = sorted(entries.items(), key=lambda e: (e[1], e[0]), reverse=True)[:CAP]
    return [p for p, _ in newest if p not in _DELETED]
