"""Correct alternative — keep the starter's shipping_cost, memoized with functools.cache.

Tries: a dict index from sku to bins built once, updated in place, and the starter's
Dijkstra kept as is behind functools.cache on (start, goal), with the adjacency map
built once (there are only 4 × 5 warehouse–hub pairs).
Must pass because: the brief lists memoizing the pure route search as a passing fix.
Expect: pass
"""

from __future__ import annotations

import functools
import heapq


def normalize_sku(sku: str) -> str:
    """'  ab-1234 ' -> 'AB-1234'."""
    return sku.strip().upper()


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
        self.shipping_cost = functools.cache(self._shipping_cost)
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)

    def _shipping_cost(self, start: str, goal: str) -> int:
        best = {start: 0}
        queue = [(0, start)]
        while queue:
            cost, zone = heapq.heappop(queue)
            if zone == goal:
                return cost
            if cost > best[zone]:
                continue
            for neighbour, step in self.links.get(zone, []):
                if cost + step < best.get(neighbour, cost + step + 1):
                    best[neighbour] = cost + step
                    heapq.heappush(queue, (cost + step, neighbour))
        raise ValueError(f"no road from {start} to {goal}")

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        best = None
        best_key: tuple[int, str] | None = None
        for entry in self.by_sku.get(normalize_sku(sku), ()):
            origin, bin_id, stock = entry
            if stock < quantity:
                continue
            key = (self.shipping_cost(origin, zone), bin_id)
            if best_key is None or key < best_key:
                best, best_key = entry, key
        if best is None:
            return None
        best[2] -= quantity
        return best[1]
