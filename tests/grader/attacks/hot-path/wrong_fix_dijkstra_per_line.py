"""Wrong fix — a dict index, and one route search per order line instead of per bin.

Tries: the index (no scan of the stock) plus a half-way memo: the road map is built once
in __init__, and each line runs Dijkstra once, from its delivery zone, to price all of
its candidate bins.
Must not pass because: the costs depend only on the roads, and there are only 4 × 5
warehouse–hub pairs; a Dijkstra per line is still most of the time. Speedup stays
under 20x.
Expect: fail on speedup
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
        self.links: dict[str, list[tuple[str, int]]] = {}
        for a, b, cost in roads:
            self.links.setdefault(a, []).append((b, cost))
            self.links.setdefault(b, []).append((a, cost))
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        entries = [e for e in self.by_sku.get(normalize_sku(sku), ()) if e[2] >= quantity]
        if not entries:
            return None
        costs = route_costs(self.links, zone)  # roads go both ways: zone -> origin
        best = min(entries, key=lambda e: (costs[e[0]], e[1]))
        best[2] -= quantity
        return best[1]
