"""A token-based concurrency limit: the server holds a fixed number of tokens (its workers
plus a few queued requests). A request takes one when it is admitted and gives it back
when it is answered or dropped; a request that finds none is refused at once.

The tokens held are the requests in service plus the requests waiting, which the view
counts, so no bookkeeping of releases is needed.

Expect: pass
"""

from __future__ import annotations

from typing import Any

EXTRA_TOKENS = 12  # queued requests allowed beyond one per worker


def admit(view: Any) -> bool:
    """Take a token, if one is free."""
    held = view.busy + len(view.queue)
    return held < view.workers + EXTRA_TOKENS


def next_request(view: Any) -> int:
    """The oldest request waiting."""
    return 0


def drop(request: Any, now: float) -> bool:
    """Skip a request whose client has already given up (its token comes back)."""
    return now >= request.deadline
