"""Wrong fix — functools.cache on a module-level shipping_cost(start, goal), shared by all.

Tries: the hint's memo, written the way it first comes to mind: a dict index built once
and updated in place, the road map kept in a module global that each new Matcher
refills, and the route search behind functools.cache keyed by (start, goal) only. The
first matcher gets right answers, and a check that builds one matcher would pass it.
Must not pass because: the pipeline builds matchers on other road networks too; a cost
cached for one network is wrong for the next. Every timed unit is a new network, so
the timed lines get the first network's costs and wrong bins.
Expect: wrong result
"""

from __future__ import annotations

import functools
import heapq

_links: dict[str, list[tuple[str, int]]] = {}


def normalize_sku(sku: str) -> str:
    """'  ab-1234 ' -> 'AB-1234'."""
    return sku.strip().upper()


@functools.cache
def shipping_cost(start: str, goal: str) -> int:
    """Cost of the cheapest route from zone start to zone goal (Dijkstra), remembered."""
    best = {start: 0}
    queue = [(0, start)]
    while queue:
        cost, zone = heapq.heappop(queue)
        if zone == goal:
            return cost
        if cost > best[zone]:
            continue
        for neighbour, step in _links.get(zone, []):
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
        _links.clear()
        for a, b, cost in roads:
            _links.setdefault(a, []).append((b, cost))
            _links.setdefault(b, []).append((a, cost))
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
            key = (shipping_cost(origin, zone), bin_id)
            if best_key is None or key < best_key:
                best, best_key = entry, key
        if best is None:
            return None
        best[2] -= quantity
        return best[1]
