"""Stock allocation for the order pipeline: which bin does each order line ship from?

Every order line names a product (sku), a quantity and the delivery zone. The matcher
reserves the quantity from one bin that holds at least that much of the product, choosing
the bin whose warehouse can ship to the zone most cheaply (ties: the lowest bin id), and
returns that bin's id, or None when no single bin holds enough.

Shipping cost is the cheapest route over the road network between the warehouse's zone
and the delivery zone: the sum of the road costs along it (roads go both ways).

Order lines arrive as customers typed them, so skus may come in lower case or with
spaces around them; the stock list stores them in upper case.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass


@dataclass
class StockBin:
    """One bin of the stock list, in the shape the rest of the code works with."""

    bin_id: str
    sku: str
    warehouse: str
    quantity: int


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
        # bins: (bin_id, sku, warehouse, quantity); warehouse_zones: warehouse -> zone;
        # roads: (zone, zone, cost).
        self.rows = [list(row) for row in bins]
        self.warehouse_zones = warehouse_zones
        self.roads = roads

    def current_stock(self) -> list[StockBin]:
        """The stock list as objects, read fresh so that it reflects every reservation."""
        return [
            StockBin(bin_id, normalize_sku(sku), warehouse, quantity)
            for bin_id, sku, warehouse, quantity in self.rows
        ]

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        best: tuple[int, str] | None = None
        for stock in self.current_stock():
            if stock.sku != normalize_sku(sku) or stock.quantity < quantity:
                continue
            origin = self.warehouse_zones[stock.warehouse]
            candidate = (shipping_cost(self.roads, origin, zone), stock.bin_id)
            if best is None or candidate < best:
                best = candidate
        if best is None:
            return None
        for row in self.rows:
            if row[0] == best[1]:
                row[3] -= quantity
        return best[1]
