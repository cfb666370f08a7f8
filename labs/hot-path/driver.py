"""Runs beside the learner's inventory.py: builds matchers and allocates the lines it is sent.

Everything secret stays in the grader: the network and the order lines arrive as plain
data made there from the seed, and the bins each line got go back to be compared with
the grader's reference. Building a matcher and allocating its lines are separate calls,
because the pipeline builds a matcher once and then allocates lines all day: the grader
times the lines, and measures the memory of each line on its own.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from perfcoach.driverkit import Keep


def build(
    module: ModuleType,
    bins: list[tuple[str, str, str, int]],
    warehouse_zones: dict[str, str],
    roads: list[tuple[str, str, int]],
) -> Keep:
    """A new Matcher, kept in this process for the calls that allocate its lines."""
    return Keep(_matcher(module, bins, warehouse_zones, roads))


def nothing(module: ModuleType) -> None:
    """Runs no lab code: what the harness itself allocates for a call, for the grader to
    take off each line's figure."""


def allocate(module: ModuleType, matcher: Any, sku: str, quantity: int, zone: str) -> Any:
    """One order line on a kept matcher: the grader measures this call's memory."""
    return matcher.allocate(sku, quantity, zone)


def build_many(
    module: ModuleType,
    networks: list[tuple[list[tuple[str, str, str, int]], dict[str, str], list[Any]]],
) -> Keep:
    """A new Matcher per network, kept together: one sample of timed units, built untimed."""
    return Keep([_matcher(module, *network) for network in networks])


def allocate_batches(
    module: ModuleType, matchers: list[Any], batches: list[list[tuple[str, int, str]]]
) -> list[list[Any]]:
    """Every line of each batch, in order, on its own kept matcher: one timed round trip."""
    return [
        [matcher.allocate(sku, quantity, zone) for sku, quantity, zone in lines]
        for matcher, lines in zip(matchers, batches, strict=True)
    ]


def run_lines(
    module: ModuleType,
    bins: list[tuple[str, str, str, int]],
    warehouse_zones: dict[str, str],
    roads: list[tuple[str, str, int]],
    orders: list[tuple[str, int, str]],
) -> list[Any]:
    """Build a matcher and allocate every line: what `lab profile` runs."""
    matcher = _matcher(module, bins, warehouse_zones, roads)
    return [matcher.allocate(sku, quantity, zone) for sku, quantity, zone in orders]


def _matcher(
    module: ModuleType,
    bins: list[tuple[str, str, str, int]],
    warehouse_zones: dict[str, str],
    roads: list[tuple[str, str, int]],
) -> Any:
    """The learner's Matcher over copies of the data, as the pipeline would build it."""
    return module.Matcher(list(bins), dict(warehouse_zones), list(roads))
