"""Measuring without fooling yourself: counters first, interleaved timing second.

Names load their module on first use (perfcoach.lazy)."""

from __future__ import annotations

from typing import Any

from perfcoach.lazy import attribute

_EXPORTS = {
    "normalize_sql": "perfcoach.measure.sql",
    "Estimate": "perfcoach.measure.stats",
    "median_interval": "perfcoach.measure.stats",
    "Comparison": "perfcoach.measure.timing",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    return attribute(__name__, _EXPORTS, name)
