"""Wrong fix — a dict index from sku to its bins, but Dijkstra still runs per candidate bin.

Tries: the first fix the profile suggests: no more scans of the whole stock and no
StockBin per bin per line. The shipping cost is still recomputed from the roads for
every candidate bin of every line.
Must not pass because: the route search is now most of the time; the speedup row stays
under 20x (the brief names this exact case).
Expect: fail on speedup
"""

from __future__ import annotations

import heapq


def normalize_sku(sku: str) -> str:
    """'  ab-1234 ' -> 'AB-1234'."""
    return sku.strip().upper()


def shipping_cost(roads: list[tuple[str, str, int]], start: str, goal: str) -> int:
    """Cost of the cheapest route from zone start to zone goal (Dijkstra)."""
    links: dict[str, list[tuple[str, int]]] = {}
    for a, b, cost in roads:
        links.setdefault(a, []).append((b, cost))
        links.setdefault(b, []).append((a, cost))
    best = {start: 0}
    queue = [(0, start)]
    while queue:
        cost, zone = heapq.heappop(queue)
        if zone == goal:
            return cost
        if cost > best[zone]:
            continue
        for neighbour, step in links.get(zone, []):
            if cost + step < best.get(neighbour, cost + step + 1):
                best[neighbour] = cost + step
                heapq.heappush(queue, (cost + step, neighbour))
    raise ValueError(f"no road from {start} to {goal}")


class Matcher:
    """Reserves stock for order lines, one line at a time."""

    def __init__(
        self,
        bins: list[tuple[str, str, str, int]],
        warehouse_zones: dict[str, str],
        roads: list[tuple[str, str, int]],
    ) -> None:
        self.roads = roads
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
            key = (shipping_cost(self.roads, origin, zone), bin_id)
            if best_key is None or key < best_key:
                best, best_key = entry, key
        if best is None:
            return None
        best[2] -= quantity
        return best[1]
