"""Wrong fix — memoize allocate() itself with functools.lru_cache.

Tries: the brief's warning, ignored: index and route costs done right, and then the
whole allocate(sku, quantity, zone) memoized, "because the same order often comes twice".
Must not pass because: allocate() changes the stock; the second identical order gets
the same bin again, stock that is already gone.
Expect: wrong result
"""

from __future__ import annotations

import functools
import heapq


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
        links: dict[str, list[tuple[str, int]]] = {}
        for a, b, cost in roads:
            links.setdefault(a, []).append((b, cost))
            links.setdefault(b, []).append((a, cost))
        costs = {zone: route_costs(links, zone) for zone in set(warehouse_zones.values())}
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [costs[warehouse_zones[warehouse]], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)
        self.allocate = functools.lru_cache(maxsize=4096)(self._allocate)  # type: ignore[method-assign]

    def _allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        best = None
        for entry in self.by_sku.get(normalize_sku(sku), ()):
            if entry[2] >= quantity and (best is None or (entry[0][zone], entry[1]) < best[0]):
                best = ((entry[0][zone], entry[1]), entry)
        if best is None:
            return None
        best[1][2] -= quantity
        return best[1][1]

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        return self._allocate(sku, quantity, zone)
