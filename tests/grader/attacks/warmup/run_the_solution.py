"""Class 3 — run the reference fix from the installed content pack.

Tries: finds labs/warmup/solution/slo.py through perfcoach's own pack root and runs it.
Must not pass because: the sandbox cannot read the content pack during a check; the
attempt is refused as an error.
Expect: not pass
"""

from __future__ import annotations

from typing import Any

from perfcoach.paths import builtin_pack_root


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    path = builtin_pack_root() / "labs" / "warmup" / "solution" / "slo.py"
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return int(namespace["slow_requests"](latencies_ms, settings))
