"""Wrong fix — a dict from sku to bins, but rebuilt from the stock rows on every line.

Tries: route costs computed once per warehouse zone in __init__ (good), and an index by
sku built at the start of each allocate() from the stock rows, so that it is "always up
to date" with the reservations.
Must not pass because: each line still does work proportional to the whole stock. (The
brief says the allocations row catches this; here the index only holds references to
the existing rows and stays just under starter / 5, so it is the scaling row that
fails.)
Expect: fail on scaling_exponent
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
        self.costs = {w: route_costs(links, zone) for w, zone in warehouse_zones.items()}
        self.rows = [list(row) for row in bins]

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        index: dict[str, list[list]] = {}
        for row in self.rows:
            index.setdefault(normalize_sku(row[1]), []).append(row)
        best = None
        best_key: tuple[int, str] | None = None
        for row in index.get(normalize_sku(sku), ()):
            if row[3] < quantity:
                continue
            key = (self.costs[row[2]][zone], row[0])
            if best_key is None or key < best_key:
                best, best_key = row, key
        if best is None:
            return None
        best[3] -= quantity
        return best[0]
