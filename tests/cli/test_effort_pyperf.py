"""`effort export --format pyperf`: pyperf's own loader reads what perfcoach writes."""

from __future__ import annotations

import json
from pathlib import Path

import pyperf
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.store import Efforts, Store
from perfcoach.store.import_rules import figures as figures_rule
from tests.cli.test_efforts import FAST, SLOW, new_effort


def test_export_is_read_by_pyperfs_loader_with_the_same_values(
    runner: CliRunner, tmp_path: Path
) -> None:
    new_effort(runner)
    for args in (["baseline", "checkout", "--runs", "3"], ["compare", "checkout", "--runs", "4"]):
        cmd = SLOW if args[0] == "baseline" else FAST
        result = runner.invoke(app, [*args, "--", *cmd])
        assert result.exit_code == 0, result.output
    out = tmp_path / "x.json"
    exported = runner.invoke(
        app, ["effort", "export", "checkout", "--format", "pyperf", "-o", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert f"wrote {out}" in exported.output

    suite = pyperf.BenchmarkSuite.load(str(out))
    with Store.open() as db:
        [_, compare] = Efforts(db).measurements("checkout")
    figures = compare.figures
    assert suite.get_benchmark_names() == ["baseline", "candidate"]
    for name, side in (("baseline", figures["against"]), ("candidate", figures["measured"])):
        bench = suite.get_benchmark(name)
        assert bench.get_values() == tuple(s["wall_s"] for s in side["samples"])
        assert bench.get_unit() == "second"
        assert bench.get_metadata()["command"] == side["command"]
        assert bench.get_metadata()["cpu_count"] == figures["env"]["cpus"]
    assert suite.get_benchmark("baseline").get_nrun() == 3


def test_export_of_a_baseline_alone_and_its_errors(runner: CliRunner) -> None:
    new_effort(runner)
    empty = runner.invoke(app, ["effort", "export", "checkout"])
    assert empty.exit_code == 2 and "has no measured command to export" in empty.output
    bad = runner.invoke(app, ["effort", "export", "checkout", "--format", "csv"])
    assert bad.exit_code == 2 and "--format must be pyperf, not 'csv'" in bad.output
    base = runner.invoke(app, ["baseline", "checkout", "--runs", "2", "--", *FAST])
    assert base.exit_code == 0, base.output
    printed = runner.invoke(app, ["effort", "export", "checkout"])
    assert printed.exit_code == 0, printed.output
    data = json.loads(printed.output)
    assert data["version"] == "1.0"
    assert [b["metadata"]["name"] for b in data["benchmarks"]] == ["baseline"]
    assert [len(run["values"]) for run in data["benchmarks"][0]["runs"]] == [1, 1]


def test_one_side_per_file_lets_pyperf_compare_to_pair_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    new_effort(runner)
    assert runner.invoke(app, ["baseline", "checkout", "--runs", "2", "--", *SLOW]).exit_code == 0
    early = runner.invoke(app, ["effort", "export", "checkout", "--side", "candidate"])
    assert early.exit_code == 2 and "has no candidate yet" in early.output
    assert runner.invoke(app, ["compare", "checkout", "--runs", "2", "--", *FAST]).exit_code == 0
    wrong = runner.invoke(app, ["effort", "export", "checkout", "--side", "after"])
    assert wrong.exit_code == 2 and "--side must be baseline or candidate" in wrong.output
    files = {}
    for side in ("baseline", "candidate"):
        files[side] = tmp_path / f"{side}.json"
        args = ["effort", "export", "checkout", "--side", side, "-o", str(files[side])]
        assert runner.invoke(app, args).exit_code == 0
    old = pyperf.Benchmark.load(str(files["baseline"]))
    new = pyperf.Benchmark.load(str(files["candidate"]))
    assert old.get_name() == new.get_name() == "checkout"
    assert old.median() > new.median()


def pyperf_file(path: Path, *benchmarks: tuple[str, list[list[float]], int | None]) -> Path:
    """A file pyperf itself writes: per benchmark, a calibration run (warmups only) and runs
    of values, with command_max_rss per run when given."""
    suite = pyperf.BenchmarkSuite(
        [
            pyperf.Benchmark(
                [
                    pyperf.Run(
                        [],
                        warmups=[(1, 0.5)],
                        metadata={"name": name, "unit": "second", "loops": 1},
                        collect_metadata=False,
                    ),
                    *(
                        pyperf.Run(
                            values,
                            metadata={
                                "name": name,
                                "unit": "second",
                                "loops": 1,
                                "command": f"python {name}.py",
                                **({"command_max_rss": rss} if rss else {}),
                            },
                            collect_metadata=False,
                        )
                        for values in runs
                    ),
                ]
            )
            for name, runs, rss in benchmarks
        ]
    )
    suite.dump(str(path), replace=True)
    return path


def test_from_pyperf_records_pyperfs_values_as_the_baseline(
    runner: CliRunner, tmp_path: Path
) -> None:
    new_effort(runner)
    runs = [[0.101, 0.102], [0.099, 0.104], [0.1, 0.103]]
    made = pyperf_file(tmp_path / "bench.json", ("bench", runs, 12 * 1024 * 1024))
    result = runner.invoke(app, ["baseline", "checkout", "--from-pyperf", str(made)])
    assert result.exit_code == 0, result.output
    assert "baseline (from pyperf): python bench.py (6 runs)" in result.output
    assert "CPU time is not in its file" in result.output
    assert "evidence for: pre/baseline-metrics, pre/document-current" in result.output
    with Store.open() as db:
        [baseline] = Efforts(db).measurements("checkout")
    measured = baseline.figures["measured"]
    assert [s["wall_s"] for s in measured["samples"]] == [v for run in runs for v in run]
    assert measured["cpu_s"] is None and measured["peak_rss_kib"]["median"] == 12 * 1024
    assert figures_rule(baseline.figures) == ""  # progress import takes it back
    broken = {**measured, "wall_s": None}
    assert "measured.wall_s needs finite" in figures_rule({**baseline.figures, "measured": broken})
    shown = runner.invoke(app, ["effort", "show", "checkout"])
    assert shown.exit_code == 0 and "12.0 MiB" in shown.output

    after = runner.invoke(app, ["compare", "checkout", "--runs", "2", "--", *FAST])
    assert after.exit_code == 0, after.output
    assert "wall time" in after.output and "CPU time" not in after.output
    report = runner.invoke(app, ["checklist", "export", "--effort", "checkout"])
    assert report.exit_code == 0, report.output
    before_after = report.output.split("## Before / after")[1].split("## Measurements")[0]
    assert "| wall time |" in before_after and "CPU time" not in before_after
    back = tmp_path / "back.json"
    assert runner.invoke(app, ["effort", "export", "checkout", "-o", str(back)]).exit_code == 0
    again = pyperf.BenchmarkSuite.load(str(back)).get_benchmark("baseline")
    assert again.get_values() == tuple(v for run in runs for v in run)


def test_from_pyperf_refuses_what_it_cannot_record(runner: CliRunner, tmp_path: Path) -> None:
    new_effort(runner)
    two = pyperf_file(tmp_path / "two.json", ("old", [[0.2]], None), ("new", [[0.1, 0.11]], None))
    not_pyperf = tmp_path / "other.json"
    not_pyperf.write_text('{"benchmarks": []}')
    for args, message in [
        (["--from-pyperf", str(two)], "holds 2 benchmarks (old, new): pick one with --benchmark"),
        (["--from-pyperf", str(two), "--benchmark", "mid"], "has no benchmark 'mid'"),
        (["--from-pyperf", str(not_pyperf)], "is not pyperf JSON"),
        (["--from-pyperf", str(tmp_path / "missing.json")], "is not a readable pyperf JSON"),
        (["--benchmark", "old", "--", *FAST], "--benchmark picks from a --from-pyperf file"),
        (["--from-pyperf", str(two), "--", *FAST], "either --from-pyperf FILE or a command"),
        ([], "give the command to measure"),
    ]:
        result = runner.invoke(app, ["baseline", "checkout", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    picked = runner.invoke(
        app, ["baseline", "checkout", "--from-pyperf", str(two), "--benchmark", "new"]
    )
    assert picked.exit_code == 0, picked.output
    with Store.open() as db:
        [baseline] = Efforts(db).measurements("checkout")
    assert [s["wall_s"] for s in baseline.figures["measured"]["samples"]] == [0.1, 0.11]
    assert baseline.figures["measured"]["peak_rss_kib"] is None
