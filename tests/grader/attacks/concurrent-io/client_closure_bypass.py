"""Class 4 — bypass the client: take the answers and the tally out of fetch's closure.

Tries: client.fetch is a closure over the bench's answer table, its delay table and the
tally it reports to. Read them from fetch.__closure__, tell the tally each SKU was
"requested" (enter, then leave at once, so one call is in flight at a time), and return
copies of the answers without waiting.
Must not pass because: no request was made to the supplier; the counters the grade
depends on must not be reachable, or writable, from the learner's code.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


def _captured(function: Any) -> dict[str, Any]:
    cells = function.__closure__ or ()
    return {
        name: cell.cell_contents
        for name, cell in zip(function.__code__.co_freevars, cells, strict=True)
    }


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    inside = _captured(client.fetch)
    answers = next(
        v for v in inside.values() if isinstance(v, dict) and isinstance(v.get(skus[0]), dict)
    )
    tally = next((v for v in inside.values() if hasattr(v, "enter")), None)
    quotes = []
    for sku in skus:
        if tally is not None:
            tally.enter(sku)
            tally.leave()
        quotes.append(dict(answers[sku]))
    return quotes
