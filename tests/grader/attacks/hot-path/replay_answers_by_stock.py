"""Class 5 — ~10x per line, and every later matcher on the same stock replays the answers.

Tries: wrong_fix_dijkstra_per_line, plus a module-level recording: the first matcher
built on a given stock (bins, warehouses and roads, fingerprinted in __init__) records
each line and its answer; a later matcher built on identical input answers the same
lines in the same order from the recording, applying the reservations only if the
stream ever diverges. The bench builds a fresh matcher on the same network for every
timed call, so every call after the first is a replay.
Must not pass because: the allocation work per line is unchanged (about 10x, short of
20x); remembering whole results across timed repetitions is not a faster matcher.
Expect: not pass
"""

from __future__ import annotations

import heapq
from typing import Any

# stock fingerprint -> [((sku, quantity, zone), answer), ...] of the first matcher built on it
_recordings: dict[int, list[tuple[tuple[str, int, str], Any]]] = {}


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
        self.by_bin: dict[str, list] = {}
        for bin_id, sku, warehouse, quantity in bins:
            entry = [warehouse_zones[warehouse], bin_id, quantity]
            self.by_sku.setdefault(normalize_sku(sku), []).append(entry)
            self.by_bin[bin_id] = entry
        fingerprint = hash((tuple(bins), tuple(sorted(warehouse_zones.items())), tuple(roads)))
        self.replay = _recordings.get(fingerprint)
        self.recording: list[tuple[tuple[str, int, str], Any]] | None = None
        if self.replay is None:
            self.recording = _recordings[fingerprint] = []
        self.position = 0
        self.pending: list[tuple[Any, int]] = []

    def _catch_up(self) -> None:
        for bin_id, quantity in self.pending:
            if bin_id is not None:
                self.by_bin[bin_id][2] -= quantity
        self.pending = []
        self.replay = None

    def allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        """Reserve quantity of sku for delivery to zone; the bin id it comes from, or None."""
        line = (sku, quantity, zone)
        if self.replay is not None:
            if self.position < len(self.replay) and self.replay[self.position][0] == line:
                answer = self.replay[self.position][1]
                self.position += 1
                self.pending.append((answer, quantity))
                return answer
            self._catch_up()
        answer = self._allocate(sku, quantity, zone)
        if self.recording is not None:
            self.recording.append((line, answer))
        return answer

    def _allocate(self, sku: str, quantity: int, zone: str) -> str | None:
        entries = [e for e in self.by_sku.get(normalize_sku(sku), ()) if e[2] >= quantity]
        if not entries:
            return None
        costs = route_costs(self.links, zone)  # roads go both ways: zone -> origin
        best = min(entries, key=lambda e: (costs[e[0]], e[1]))
        best[2] -= quantity
        return best[1]
