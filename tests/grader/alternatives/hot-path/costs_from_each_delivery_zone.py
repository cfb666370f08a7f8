"""Correct alternative — one route search per delivery zone, run the first time it is needed.

Tries: the reference searches from each warehouse zone up front. Roads go both ways, so
a search from the line's delivery zone prices every warehouse at once: this matcher runs
it the first time a zone is asked for and keeps the result on the matcher (five hubs:
five searches per matcher, however many lines). An index from sku to bins is built once
and updated in place.
Must pass because: the per-line work is a few lookups once each hub has been seen; the
brief allows memoizing anything pure, and the route costs are pure.
Expect: pass
"""

from __future__ import annotations

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
        self.to_zone: dict[str, dict[str, int]] = {}
        self.by_sku: dict[str, list[list]] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)

    def costs_to(self, zone: str) -> dict[str, int]:
        """Cost from every zone to this one (one Dijkstra from it, remembered)."""
        known = self.to_zone.get(zone)
        if known is not None:
            return known
        best = {zone: 0}
        queue = [(0, zone)]
        while queue:
            cost, here = heapq.heappop(queue)
            if cost > best[here]:
                continue
            for neighbour, step in self.links.get(here, []):
                if cost + step < best.get(neighbour, cost + step + 1):
                    best[neighbour] = cost + step
                    heapq.heappush(queue, (cost + step, neighbour))
        self.to_zone[zone] = best
        return best

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        entries = [e for e in self.by_sku.get(normalize_sku(sku), ()) if e[2] >= quantity]
        if not entries:
            return None
        costs = self.costs_to(zone)
        best = min(entries, key=lambda e: (costs[e[0]], e[1]))
        best[2] -= quantity
        return best[1]
