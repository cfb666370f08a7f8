"""Correct alternative — every zone-to-zone cost by Floyd–Warshall, once, in __init__.

Tries: the textbook all-pairs algorithm over the 80 zones in the constructor (80³ steps,
tens of milliseconds of Python per matcher: far more up-front work than the reference's
four route searches), then plain lookups per line, with an index from sku to its bins
built once and updated in place.
Must pass because: the brief says the matcher runs all day and puts one-off work in
__init__; the check times what a line costs once the matcher is built, and a slow
constructor must neither count against the speedup nor make the check run out of time.
Expect: pass
"""

from __future__ import annotations


def normalize_sku(sku: str) -> str:
    """'  ab-1234 ' -> 'AB-1234'."""
    return sku.strip().upper()


def all_pairs(roads: list[tuple[str, str, int]]) -> dict[str, dict[str, float]]:
    """Cheapest route cost between every two zones (Floyd–Warshall; roads go both ways)."""
    zones = sorted({a for a, _, _ in roads} | {b for _, b, _ in roads})
    cost = {a: dict.fromkeys(zones, float("inf")) for a in zones}
    for zone in zones:
        cost[zone][zone] = 0
    for a, b, step in roads:
        if step < cost[a][b]:
            cost[a][b] = cost[b][a] = step
    for via in zones:
        through = cost[via]
        for a in zones:
            row = cost[a]
            first = row[via]
            for b in zones:
                if first + through[b] < row[b]:
                    row[b] = first + through[b]
    return cost


class Matcher:
    """Reserves stock for order lines, one line at a time."""

    def __init__(
        self,
        bins: list[tuple[str, str, str, int]],
        warehouse_zones: dict[str, str],
        roads: list[tuple[str, str, int]],
    ) -> None:
        self.routes = all_pairs(roads)
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        best = None
        best_key: tuple[float, str] | None = None
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
