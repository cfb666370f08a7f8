"""Reading a pyperf result (`python -m pyperf command -o FILE`, timeit, or any pyperf JSON)
so its values can become an effort's baseline; pyperf itself is not needed to read it."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfcoach.errors import UsageError

# The pyperf JSON versions whose runs hold "values" (pyperf >= 0.9.6, _bench._JSON_MAP_VERSION).
_VERSIONS = ("1.0", 6)


@dataclass(frozen=True)
class PyperfBenchmark:
    """One pyperf benchmark's values in seconds, with its name and what it ran.

    peak_rss_kib holds each value's run's command_max_rss when every run recorded it
    (pyperf command does on Linux), else None."""

    name: str
    command: str
    values: tuple[float, ...]
    peak_rss_kib: tuple[int, ...] | None


def read_pyperf(path: str, benchmark: str | None = None) -> PyperfBenchmark:
    """The one benchmark in a pyperf file, or the one named; a clear error otherwise."""
    data = _load(path)
    suite_meta = data.get("metadata") or {}
    benchmarks = [b for b in data["benchmarks"] if isinstance(b, dict)]
    names = [str({**suite_meta, **(b.get("metadata") or {})}.get("name", "")) for b in benchmarks]
    if benchmark is None and len(benchmarks) > 1:
        raise UsageError(
            f"{path} holds {len(benchmarks)} benchmarks ({', '.join(names)}): "
            "pick one with --benchmark NAME"
        )
    if benchmark is not None and benchmark not in names:
        raise UsageError(f"{path} has no benchmark {benchmark!r} (it has: {', '.join(names)})")
    index = names.index(benchmark) if benchmark is not None else 0
    chosen = benchmarks[index]
    meta = {**suite_meta, **(chosen.get("metadata") or {})}
    if meta.get("unit", "second") != "second":
        raise UsageError(f"{path}: benchmark {names[index]!r} is in {meta['unit']}, not seconds")
    values: list[float] = []
    rss: list[int] = []
    for run in chosen.get("runs") or []:
        run_values = run.get("values") or []  # a calibration run has warmups only
        values += [float(v) for v in run_values if isinstance(v, int | float)]
        run_meta = run.get("metadata") or {}
        if run_values:  # pyperf keeps metadata per run unless every run shares it
            meta = {**run_meta, **meta}
        max_rss = run_meta.get("command_max_rss")
        if isinstance(max_rss, int) and max_rss > 0:
            rss += [max_rss // 1024] * len(run_values)
    if not values or any(not v > 0 for v in values):
        raise UsageError(f"{path}: benchmark {names[index]!r} has no positive values to record")
    command = str(meta.get("command") or f"pyperf benchmark {names[index]}")
    return PyperfBenchmark(
        names[index], command, tuple(values), tuple(rss) if len(rss) == len(values) else None
    )


def _load(path: str) -> dict[str, Any]:
    """The file's JSON (gzipped when it ends in .gz, as pyperf writes it), checked to be a
    pyperf suite of a version whose runs hold values."""
    opener: Any = gzip.open if path.endswith(".gz") else open
    try:
        with opener(Path(path).expanduser(), "rt", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, EOFError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable pyperf JSON file: {exc}") from None
    if not (
        isinstance(data, dict)
        and data.get("version") in _VERSIONS
        and isinstance(data.get("benchmarks"), list)
        and data["benchmarks"]
    ):
        raise UsageError(
            f"{path} is not pyperf JSON (a 'version' 1.0 suite with 'benchmarks'): "
            "write one with 'python -m pyperf command -o FILE -- CMD'"
        )
    return data
