"""Class 1 — answer next_request() with the request itself instead of its position.

Tries: return the Request object (or its id) rather than an index, hoping the driver
passes whatever it gets along and the grader serves something sensible.
Must not pass because: next_request() must return a position in view.queue; anything
else stops the check as a wrong result whose message says what to return.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> Any:
    return view.queue[-1]


def drop(request: Any, now: float) -> bool:
    return False
