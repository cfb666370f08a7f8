"""Correct alternative — precompute every zone-to-zone route cost once, in __init__.

Tries: instead of one Dijkstra per warehouse zone (the reference), run Dijkstra from
every zone of the network in the constructor (80 searches) and keep the full table;
allocate() looks costs up in it. An index from sku to bins is built once and updated
in place.
Must pass because: nothing per line grows with the stock, the per-line work is a few
dict lookups, and the one-off table is built once per matcher. It does more work up
front than the reference, but the brief allows any state the matcher likes.
Expect: pass
"""

from __future__ import annotations

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
        self.routes = {zone: route_costs(links, zone) for zone in links}
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        best = None
        best_key: tuple[int, str] | None = None
        for entry in self.by_sku.get(normalize_sku(sku), ()):
            origin, bin_id, stock = entry
            if stock < quantity:
                continue
            key = (self.routes[origin][zone], bin_id)
            if best_key is None or key < best_key:
                best, best_key = entry, key
        if best is None:
            return None
        best[2] -= quantity
        return best[1]
