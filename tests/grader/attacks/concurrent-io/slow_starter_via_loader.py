"""Class 1 — replace the grader's module loader so the starter it loads runs 5x slower.

Tries: the grading process imports the learner's file before it imports the starter
(the baseline), and it does so with a load_module() function it looks up at call time.
At import, this file wraps every load_module it finds in sys.modules (the sandbox's
__main__ included): a starter loaded through it gets a fetch_quotes that sleeps four
times as long again after doing its work. The candidate is a timid pool of 2 workers
(about 2x), which now looks like 10x.
Must not pass because: the baseline is the grader's yardstick; nothing the learner's
code does may change how, or what, the grader loads.
Expect: not pass
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


def _slowed(module: Any) -> Any:
    original = module.fetch_quotes

    def fetch_quotes(client: Any, skus: list[str]) -> Any:
        start = time.perf_counter()
        result = original(client, skus)
        time.sleep(4 * (time.perf_counter() - start))
        return result

    module.fetch_quotes = fetch_quotes
    return module


def _wrap(load: Any) -> Any:
    def load_module(path: Path, name: str) -> Any:
        module = load(path, name)
        if Path(path).parent.name == "starter" and hasattr(module, "fetch_quotes"):
            return _slowed(module)
        return module

    return load_module


for _module in list(sys.modules.values()):
    if callable(vars(_module).get("load_module")) and _module.__name__ != __name__:
        _module.load_module = _wrap(_module.load_module)


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(client.fetch, skus))
