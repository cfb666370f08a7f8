"""Class 2 — return a page object that compares equal to any list.

Tries: publish costs one insert, and timeline() returns an instance of a list subclass
whose __eq__ answers True to everything and whose length is 0, hoping the grader's
`got == want` accepts it without a single store read.
Must not pass because: what crosses from the instance to the grader is wire data: the
harness reduces a list subclass to a plain list of what it holds (nothing), or an
unknown object to an opaque marker naming its type; the grader's own comparison never
sees the learner's __eq__. The empty page is wrong.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any


class _Anything(list):  # type: ignore[type-arg]
    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    store.zadd(f"posts:{author}", {post_id: at})


def delete(store: Any, author: int, post_id: int) -> None:
    store.sadd("deleted", post_id)


def timeline(store: Any, user: int) -> list[int]:
    return _Anything()
