"""Class 1 — rewrite the starter on disk before the grader loads it, then put it back.

Tries: the grader imports the learner's file first and the starter (its baseline) right
after, from the lab folder, which is writable. At import time this file appends to
starter/inventory.py a wrapper that runs each route search 13 times, and restores the
original text as soon as the first Matcher is built (and at exit). The baseline is now
several times slower, so a ~10x fix (one route search per line) reads over 20x.
Must not pass because: the lab's files, and the baseline they define, must be out of
the learner's reach; the code itself is not 20x faster than the real starter.
Expect: not pass
"""

from __future__ import annotations

import atexit
import heapq
import sys
from pathlib import Path

_SLOWER = """

_perfcoach_cost = shipping_cost


def shipping_cost(roads, start, goal):
    for _ in range(12):
        _perfcoach_cost(roads, start, goal)
    return _perfcoach_cost(roads, start, goal)
"""
_restore: dict[Path, str] = {}


def _put_back() -> None:
    for path, text in _restore.items():
        path.write_text(text)
    _restore.clear()


for _module in list(sys.modules.values()):
    _file = Path(getattr(_module, "__file__", None) or "/x")
    _starter = _file.parent / "starter" / "inventory.py"
    if _file.name == "bench.py" and _starter.is_file():
        _restore[_starter] = _starter.read_text()
        _starter.write_text(_restore[_starter] + _SLOWER)
atexit.register(_put_back)


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
        _put_back()  # the grader has loaded the starter by now: leave no trace on disk
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
