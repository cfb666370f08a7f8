"""Class 1 — run the lean fix only while tracemalloc is tracing, the starter's code otherwise.

Tries: the allocations row is measured with tracemalloc, which runs only during the
calls it measures. This matcher keeps both paths: while tracemalloc.is_tracing(), it
answers from a dict index built once (a few bytes per line); otherwise it rebuilds the
whole stock as StockBin objects and runs a route search per candidate bin, as the
starter does. The line allocations look fixed; nothing else is.
Must not pass because: the timed lines run untraced, on the starter's path: the scaling
exponent and the speedup are the starter's. Each row measures the code that really
runs, not the code that runs while one instrument is watching.
Expect: fail on speedup
"""

from __future__ import annotations

import heapq
import tracemalloc
from dataclasses import dataclass


@dataclass
class StockBin:
    """One bin of the stock list."""

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
        self.rows = [list(row) for row in bins]
        self.warehouse_zones = warehouse_zones
        self.roads = roads
        self.by_sku: dict[str, list[list]] = {}
        self.costs: dict[tuple[str, str], int] = {}
        for row in self.rows:
            self.by_sku.setdefault(normalize_sku(row[1]), []).append(row)

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        if tracemalloc.is_tracing():
            return self._lean(sku, quantity, zone)
        best: tuple[int, str] | None = None
        for stock in [StockBin(b, normalize_sku(s), w, q) for b, s, w, q in self.rows]:
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

    def _lean(self, sku: str, quantity: int, zone: str) -> str | None:
        best = None
        best_key: tuple[int, str] | None = None
        for row in self.by_sku.get(normalize_sku(sku), ()):
            if row[3] < quantity:
                continue
            origin = self.warehouse_zones[row[2]]
            if (origin, zone) not in self.costs:
                self.costs[origin, zone] = shipping_cost(self.roads, origin, zone)
            key = (self.costs[origin, zone], row[0])
            if best_key is None or key < best_key:
                best, best_key = row, key
        if best is None:
            return None
        best[3] -= quantity
        return best[0]
