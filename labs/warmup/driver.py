"""Runs beside the learner's slo.py: hands it the settings service of one report.

The settings service runs in the grader, which counts every read where the learner's code
cannot reach the count. This file only wraps the service in the `settings.get(key)` the
brief describes and calls slow_requests with it.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from perfcoach.driverkit import Remote


class Settings:
    """The service's settings: every get() is a round trip to the settings service."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Remote) -> None:
        self._remote = remote

    def get(self, key: str) -> Any:
        """The current value of key; asks the service every time it is called."""
        return self._remote.call("get", key)

    def __repr__(self) -> str:
        return "Settings(<the settings service>)"


def report(module: ModuleType, service: Remote, latencies_ms: list[float]) -> Any:
    """One report: slow_requests over this window, with this report's settings."""
    return module.slow_requests(list(latencies_ms), Settings(service))
