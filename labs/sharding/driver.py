"""Runs beside the learner's router.py: builds routers for the shard lists it is sent and
returns where each one puts the keys it is sent.

Every cluster shape gets a router from a freshly imported copy of router.py, as a service
restarted after a deploy would build it: what the module kept from an earlier shape is
gone (and what it hid elsewhere in the process shows when the grader compares processes).
Nothing here judges the answers; the grader does, in its own process.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from types import ModuleType
from typing import Any

_imports = itertools.count(1)


def in_one_module(module: ModuleType, shard_lists: list[list[str]], keys: list[str]) -> list[Any]:
    """The keys placed by a router for each shard list, all from the module as imported:
    two routers for one list must agree; a profile wants one function to look at."""
    routers = [module.make_router(list(shards)) for shards in shard_lists]
    return [[router.shard_for(key) for key in keys] for router in routers]


def place(module: ModuleType, layouts: list[tuple[list[str], list[str]]]) -> list[list[Any]]:
    """For each (shards, keys): the shard of every key, from a freshly imported module."""
    placements = []
    for shards, keys in layouts:
        router = _fresh(module).make_router(list(shards))
        placements.append([router.shard_for(key) for key in keys])
    return placements


def _fresh(module: ModuleType) -> ModuleType:
    """router.py imported again under a new name (registered, so its own imports and
    dataclasses resolve), from the copy this subject was given."""
    name = f"{module.__name__}_fresh_{next(_imports)}"
    spec = importlib.util.spec_from_file_location(name, module.__file__)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {module.__file__} again")
    fresh = importlib.util.module_from_spec(spec)
    sys.modules[name] = fresh
    spec.loader.exec_module(fresh)
    return fresh
