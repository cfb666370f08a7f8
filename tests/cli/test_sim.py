"""`perfcoach sim …` as a user runs it: JSON numbers, one-line refusals, plots that fit."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from perfcoach.cli.app import app

# Small runs of each simulation (the numbers are tested in tests/unit/test_sim_playground.py)
SMALL = {
    "cache": ["--keys", "100", "--requests", "1000"],
    "queue": ["--requests", "1000", "--utilisation", "0.9"],
    "shard": ["--keys", "300", "--shards", "3", "--add", "2"],
    "lb": ["--requests", "500", "--servers", "4", "--slow", "1"],
    "usl": ["--nodes", "20"],
}
TABLES = {
    "cache": {"sizes": 8},
    "queue": {"response": 9, "waiting": 9},
    "shard": {"moved": 2, "balance": 2},
    "lb": {"utilisations": 5},
    "usl": {"nodes": 12},
}
COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m")


@pytest.mark.parametrize("name", list(SMALL))
def test_json_prints_the_numbers_and_nothing_else(runner: CliRunner, name: str) -> None:
    result = runner.invoke(app, ["sim", name, *SMALL[name], "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["simulation"] == name
    assert data["params"]["seed"] == 3
    for table, rows in TABLES[name].items():
        assert len(data[table]) == rows
        assert all(isinstance(v, int | float) for row in data[table] for v in row.values())
    assert set(data) == {"simulation", "params", "figures", "notes", *TABLES[name]}


@pytest.mark.parametrize("name", ["cache", "queue"])
def test_the_same_seed_gives_the_same_numbers(runner: CliRunner, name: str) -> None:
    runs = [runner.invoke(app, ["sim", name, *SMALL[name], "--seed", s, "--json"]) for s in "113"]
    assert runs[0].stdout == runs[1].stdout != runs[2].stdout


def test_json_says_what_the_figures_are(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sim", "usl", "--alpha", "0.1", "--beta", "0.1", "--json"])
    figures = json.loads(result.stdout)["figures"]
    assert figures["n_star"] == pytest.approx(3.0)
    assert figures["best_whole_nodes"] == 3
    shard = runner.invoke(app, ["sim", "shard", *SMALL["shard"], "--json"])
    assert json.loads(shard.stdout)["figures"]["needless_jump"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cache", "--keys", "5"], "error: --keys must be from 10 to 100,000, not 5"),
        (["cache", "--skew", "nan"], "error: --skew must be from 0 to 3, not nan"),
        (["queue", "--utilisation", "1"], "error: --utilisation must be from 0.05 to 0.99, not 1"),
        (["queue", "-c", "0"], "error: --servers must be from 1 to 256, not 0"),
        (["shard", "--add", "0"], "error: --add must be from 1 to 50, not 0"),
        (["lb", "--slow", "8"], "error: --slow must be from 0 to 7, not 8"),
        (["lb", "--slow-speed", "2"], "error: --slow-speed must be from 0.05 to 1, not 2"),
        (["usl", "--beta", "0"], "error: --beta must be from 1e-06 to 0.5, not 0"),
    ],
)
def test_a_value_out_of_range_is_one_line_and_exit_2(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["sim", *args, "--json"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


def plot_lines(output: str) -> list[str]:
    """The lines of the first plot: from its frame's top to its x-axis labels."""
    lines = output.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top - 1 : bottom + 3]


@pytest.mark.parametrize("name", list(SMALL))
def test_a_narrow_terminal_gets_a_table_and_a_plot_that_fit(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = runner.invoke(app, ["sim", name, *SMALL[name]])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout  # not a terminal: no escape codes at all
    widths = [cell_len(line) for line in result.stdout.splitlines()]
    assert max(widths) <= 60
    plot = plot_lines(result.stdout)
    assert max(cell_len(line) for line in plot) >= 55  # the plot uses the width it has
    assert "**" in "\n".join(plot)  # the first line's marker, in its legend at least


def test_no_color_keeps_colour_codes_out_of_the_plot(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("FORCE_COLOR", "1")  # as on a terminal
    coloured = runner.invoke(app, ["sim", "usl", *SMALL["usl"]])
    assert COLOUR.search("\n".join(plot_lines(coloured.stdout)))
    monkeypatch.setenv("NO_COLOR", "1")
    plain = runner.invoke(app, ["sim", "usl", *SMALL["usl"]])
    assert plain.exit_code == 0, plain.output
    assert "\x1b" not in "\n".join(plot_lines(plain.stdout))
    assert not COLOUR.search(plain.stdout)  # nor anywhere else (bold and dim may stay)
