"""An effort's measurements in pyperf's JSON format (a BenchmarkSuite, format version 1.0),
so `python -m pyperf stats|hist|compare_to` read them; written here so pyperf is not needed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfcoach.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from perfcoach.measure.figures import CommandFiguresData, EnvironmentData
    from perfcoach.store import Store

# pyperf's _bench._JSON_VERSION: the version its loader maps to the current format.
PYPERF_JSON_VERSION = "1.0"
# Benchmark names in the export: the same names in two files let `compare_to` pair them.
BASELINE, CANDIDATE = "baseline", "candidate"


def pyperf_suite(store: Store, effort_id: str, side: str | None = None) -> dict[str, Any]:
    """The latest comparison's before ("baseline") and after ("candidate"), or the latest
    baseline alone, as a pyperf suite: one run per measured run, its wall time as the value.

    With side, only that benchmark, named after the effort: two such files (baseline and
    candidate) are what `pyperf compare_to old.json new.json` pairs by name."""
    from perfcoach.store import COMPARED, Efforts, latest

    efforts = Efforts(store)
    effort = efforts.get(effort_id)
    measurements = efforts.measurements(effort.id)
    compared, base = latest(measurements, *COMPARED), latest(measurements, "baseline")
    if compared is not None:
        assert "measured" in compared.figures
        figures = compared.figures
        against = figures["against"]
        assert against is not None  # a compare or ab stores what it compared with
        benchmarks = [
            _benchmark(BASELINE, against, figures["env"], compared.taken),
            _benchmark(CANDIDATE, figures["measured"], figures["env"], compared.taken),
        ]
    elif base is not None:
        assert "measured" in base.figures
        benchmarks = [
            _benchmark(BASELINE, base.figures["measured"], base.figures["env"], base.taken)
        ]
    else:
        raise UsageError(
            f"effort '{effort.id}' has no measured command to export: run "
            f"'perfcoach baseline {effort.id} -- CMD' first"
        )
    if side is not None:
        if side not in (BASELINE, CANDIDATE):
            raise UsageError(f"--side must be {BASELINE} or {CANDIDATE}, not {side!r}")
        chosen = [b for b in benchmarks if b["metadata"]["name"] == side]
        if not chosen:
            raise UsageError(
                f"effort '{effort.id}' has no {side} yet: run "
                f"'perfcoach compare {effort.id} -- CMD' first"
            )
        benchmarks = [{**chosen[0], "metadata": {**chosen[0]["metadata"], "name": effort.id}}]
    return {"version": PYPERF_JSON_VERSION, "benchmarks": benchmarks}


def _benchmark(
    name: str, figures: CommandFiguresData, env: EnvironmentData, taken: datetime
) -> dict[str, Any]:
    """One pyperf benchmark: metadata pyperf knows (name, unit, loops, command, cpu_count,
    hostname, platform, load_avg_1min, date) and one run per sample with its peak RSS."""
    metadata: dict[str, Any] = {
        "name": name,
        "unit": "second",
        "loops": 1,
        "command": figures["command"],
        "date": taken.isoformat(timespec="seconds"),
        "hostname": env["host"],
        "platform": env["platform"],
    }
    if env["cpus"]:
        metadata["cpu_count"] = env["cpus"]
    if env["load_1m"] is not None:
        metadata["load_avg_1min"] = env["load_1m"]
    if env["git_commit"]:
        metadata["perfcoach_git_commit"] = env["git_commit"]
    runs = [
        {"values": [s["wall_s"]], "metadata": {"command_max_rss": rss * 1024}}
        if (rss := s["peak_rss_kib"]) is not None
        else {"values": [s["wall_s"]]}
        for s in figures["samples"]
    ]
    return {"metadata": {k: v for k, v in metadata.items() if v not in ("", None)}, "runs": runs}
