"""Class 5 — a spike window written down from an earlier check (seed 5: 5.5 s to 16.3 s),
used as a schedule instead of reading the queue.

Tries: bound the queue to 16 only inside the remembered window and take everything
outside it, as if the spike always came at the same time.
Must not pass because: every check draws new traffic from a new seed, so the spike comes
at another time and lasts another while. Outside the remembered window the server is the
starter again: the part of the spike it misses builds the backlog that the lab is about.
Expect: not pass
"""

from __future__ import annotations

from typing import Any

WINDOW_MS = (5_500.0, 9_000.0)


def admit(view: Any) -> bool:
    if WINDOW_MS[0] <= view.now < WINDOW_MS[1]:
        return len(view.queue) < 16
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
