"""Stock allocation for the order pipeline: which bin does each order line ship from?

Every order line names a product (sku), a quantity and the delivery zone. The matcher
reserves the quantity from one bin that holds at least that much of the product, choosing
the bin whose warehouse can ship to the zone most cheaply (ties: the lowest bin id), and
returns that bin's id, or None when no single bin holds enough.

The work moves out of the hot path, into the constructor:

* an index from sku to that product's bins (a dict), so a line looks at 4 bins, not all;
* the bins stay as small mutable lists in that index: no objects are built per line;
* shipping costs depend only on the road network, so each warehouse zone's costs to every
  zone are computed once (one Dijkstra per warehouse zone) and looked up afterwards.
"""

from __future__ import annotations

import heapq


def normalize_sku(sku: str) -> str:
    """'  ab-1234 ' -> 'AB-1234'."""
    return sku.strip().upper()


def route_costs(links: dict[str, list[tuple[str, int]]], start: str) -> dict[str, int]:
    """Cost of the cheapest route from start to every reachable zone (Dijkstra)."""
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
        zone_costs = {zone: route_costs(links, zone) for zone in set(warehouse_zones.values())}
        # sku -> [[shipping costs from the bin's warehouse, bin_id, quantity], ...]
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [zone_costs[warehouse_zones[warehouse]], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        best = None
        best_key: tuple[int, str] | None = None
        for entry in self.by_sku.get(normalize_sku(sku), ()):
            costs, bin_id, stock = entry
            if stock < quantity:
                continue
            key = (costs[zone], bin_id)
            if best_key is None or key < best_key:
                best, best_key = entry, key
        if best is None:
            return None
        best[2] -= quantity
        return best[1]
