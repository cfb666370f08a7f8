"""Class 3 — read the order stream from the caller's frame and ask the bench's reference.

Tries: Matcher.__init__ walks up the call stack (sys._getframe) to the grader's frame
that holds the network it is built from (same bins, plus the order lines), hands that
network to the bench's own expected_allocations(), and then allocate() answers each
line from that script. If the stream ever differs, it falls back to a route search per
line.
Must not pass because: the answers come from the reference, not from this matcher; the
grader's data and reference must not live in the learner's address space.
Expect: not pass
"""

from __future__ import annotations

import heapq
import sys
from pathlib import Path
from typing import Any


def _graders_answers(bins: list[Any]) -> list[tuple[tuple[str, int, str], Any]] | None:
    """The order lines the caller is about to send, with the reference's answers."""
    reference = next(
        (
            m.expected_allocations
            for m in list(sys.modules.values())
            if Path(getattr(m, "__file__", None) or "/x").name == "bench.py"
            and hasattr(m, "expected_allocations")
        ),
        None,
    )
    frame = sys._getframe(2)
    while frame is not None and reference is not None:
        for value in list(frame.f_locals.values()):
            if getattr(value, "bins", None) == bins and hasattr(value, "orders"):
                return list(zip(value.orders, reference(value), strict=True))
        frame = frame.f_back
    return None


def normalize_sku(sku: str) -> str:
    """'  ab-1234 ' -> 'AB-1234'."""
    return sku.strip().upper()


def route_costs(links: dict[str, list[tuple[str, int]]], start: str) -> dict[str, int]:
    """Cost of the cheapest route from start to every zone (Dijkstra)."""
    best = {start: 0}
    queue = [(0, start)]
    while queue:
        cost, zone = heapq.heappop(queue)
        if cost > best[zone]:
            continue
        for neighbour, step in links.get(zone, []):
            if cost + step < best.get(neighbour, cost + step + 1):
                best[neighbour] = cost + step
                heapq.heappush(queue, (cost + step, neighbour))
    return best


class Matcher:
    """Reserves stock for order lines, one line at a time."""

    def __init__(
        self,
        bins: list[tuple[str, str, str, int]],
        warehouse_zones: dict[str, str],
        roads: list[tuple[str, str, int]],
    ) -> None:
        self.links: dict[str, list[tuple[str, int]]] = {}
        for a, b, cost in roads:
            self.links.setdefault(a, []).append((b, cost))
            self.links.setdefault(b, []).append((a, cost))
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)
        self.script = _graders_answers(bins) or []
        self.position = 0

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        if self.position < len(self.script) and self.script[self.position][0] == (
            sku,
            quantity,
            zone,
        ):
            self.position += 1
            return self.script[self.position - 1][1]
        self.script = []
        entries = [e for e in self.by_sku.get(normalize_sku(sku), ()) if e[2] >= quantity]
        if not entries:
            return None
        costs = route_costs(self.links, zone)  # roads go both ways: zone -> origin
        best = min(entries, key=lambda e: (costs[e[0]], e[1]))
        best[2] -= quantity
        return best[1]
