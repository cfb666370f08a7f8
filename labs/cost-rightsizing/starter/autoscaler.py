"""The web tier's autoscaler: how many instances to run, decided every 5 minutes.

At the end of each 5-minute interval of the week the platform calls policy(observation)
and launches or terminates instances to match the number it returns. A launched
instance boots for 5 minutes (the whole next interval) before it serves; a terminated
one stops at once. Each instance serves 100 requests a second at the latency target,
and costs $0.20 an hour while it boots and while it serves.

observation is what the autoscaler knows at the end of interval t (nothing later):

    observation.t            the interval that just ended (0 = Monday 00:00-00:05)
    observation.day          day of the week now (0 = Monday ... 6 = Sunday)
    observation.minute       minute of the day now (0-1435)
    observation.load         requests a second during interval t
    observation.history      every interval's load so far, oldest first (read-only)
    observation.running      instances that served interval t
    observation.booting      instances launched at the last decision (serving from t + 1)
    observation.last_change  the last interval whose decision changed the fleet, or None
    observation.per_instance_rps, .boot_minutes, .interval_minutes, .min_instances (2),
    observation.price_per_hour

The week begins with the fixed fleet's 50 instances running. Module-level state lives as
long as one week (the grader starts a fresh process).

This version runs a fixed fleet sized for last year's busiest five minutes, all week:
it never misses the latency target, and it pays for the peak at 3 a.m. on Sunday.
"""

from __future__ import annotations

from typing import Any

PEAK_FLEET = 50  # instances for last year's marketing spike


def policy(observation: Any) -> int:
    """The same fleet, every interval."""
    return PEAK_FLEET
