"""`effort export --format pyperf`: pyperf's own loader reads what perfcoach writes."""

from __future__ import annotations

import json
from pathlib import Path

import pyperf
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.store import Efforts, Store
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
