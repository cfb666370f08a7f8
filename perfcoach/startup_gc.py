"""The garbage collector at start-up: perfcoach's imports, pack and store are a few hundred
thousand objects that live as long as the process, and walking them is pure waste.

Measured at the app's first screen (2-core machine): collections during the imports cost
~12 ms, and one full collection during the first frames 15-30 ms more.
"""

from __future__ import annotations

import gc


def defer_collection() -> None:
    """No collections while perfcoach imports and loads what it keeps: nothing is garbage yet."""
    gc.disable()


def collect_from_here() -> None:
    """Move everything made so far out of the collector's sight for good (gc.freeze) and
    let it run again for what the command or the app makes from now on."""
    gc.freeze()
    gc.enable()
