"""Class 3 — find the hidden speeds, or the seed that draws them, and route by an oracle.

Tries: the engine is importable here (perfcoach.sim.load_balancing) and draws its scenario
from random.Random(f"{seed}:cluster"), so the seed is all it takes. Look for a scenario or
a seed everywhere this process can: modules with a `speeds` attribute, every frame above
pick() (sys._getframe) for a local holding `speeds` or `seed`, every object gc can see
with `speeds`, the environment, sys.argv, and JSON files in the working folder and its
parents (a spec). With a scenario, send each request to the healthy server whose queue
drains first at its speed now (an oracle that knows the shift and the gray window);
until then, round robin.
Must not pass because: the seed and the scenario live only in the grader's process; the
subject gets a derived seed for `random` and what a balancer observes, nothing else, and
the content pack is unreadable from the sandbox; so round robin is what gets graded.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

_turn = itertools.count()
_found: list[Any] = []


def _seeds() -> list[int]:
    seeds: list[int] = []
    frame = sys._getframe(2)
    while frame is not None:
        for name, value in frame.f_locals.items():
            if "seed" in name and isinstance(value, int):
                seeds.append(value)
        frame = frame.f_back  # type: ignore[assignment]
    for name, value in os.environ.items():
        if "SEED" in name.upper() and value.isdigit():
            seeds.append(int(value))
    seeds += [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    for folder in [Path.cwd(), *Path.cwd().parents][:4]:
        for path in folder.glob("*.json"):
            with contextlib.suppress(Exception):
                seed = json.loads(path.read_text()).get("seed")
                if isinstance(seed, int):
                    seeds.append(seed)
    return seeds


def _scenario() -> Any:
    for module in list(sys.modules.values()):
        if isinstance(getattr(module, "speeds", None), tuple):
            return module
    with contextlib.suppress(Exception):
        for obj in gc.get_objects():
            if isinstance(getattr(obj, "speeds", None), tuple) and hasattr(obj, "later"):
                return obj
    with contextlib.suppress(Exception):
        from perfcoach.sim import load_balancing as engine

        for seed in _seeds():
            return engine.scenario(random.Random(f"{seed}:cluster"))
    return None


def pick(view: Any) -> int:
    if not _found:
        _found.append(_scenario())
    sc = _found[0]
    if sc is None:
        return next(_turn) % view.servers
    up = [server for server in range(view.servers) if view.healthy[server]]
    return min(up, key=lambda s: (view.outstanding[s] + 1) / sc.speed(s, view.now))
