"""Wrong fix — return the exact fleet as a float: load / 65 instances, unrounded.

Tries: a fractional fleet is the cheapest that carries the load at 65 %.
Must not pass because: instances come whole; the platform takes an int from 0 to the
quota, and the check stops at the first answer that is not one, saying what to return.
Expect: wrong result
Says: must return the number of instances you want
"""

from __future__ import annotations

from typing import Any


def policy(observation: Any) -> float:
    return max(2.0, observation.load / (observation.per_instance_rps * 0.65))
