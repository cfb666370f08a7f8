"""The README and the CLI agree: every command it shows exists, every command is in it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from perfcoach.cli.app import app

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path of the CLI, groups included (`perfcoach progress` runs too)."""
    yield path
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = sorted(_commands(typer.main.get_command(app)))[1:]


def _shown() -> Iterator[tuple[str, ...]]:
    """The command words of each `perfcoach …` line in the README's code blocks."""
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.splitlines():
            if not line.startswith("perfcoach"):
                continue
            path = []
            for word in line.split("#")[0].split()[1:]:
                if not re.fullmatch(r"[a-z]+", word):
                    break
                path.append(word)
            yield tuple(path)


def test_every_command_in_the_readme_exists() -> None:
    groups = {path[:-1] for path in COMMANDS}
    shown = list(_shown())
    assert len(shown) > 30
    for words in shown:
        # the longest known command at the start of the line; what follows are arguments,
        # except after a group, where a further word would be a subcommand it lacks
        match = max((p for p in COMMANDS if words[: len(p)] == p), key=len, default=None)
        assert match is not None, words
        assert match not in groups or match == words, words


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme_and_has_help(path: tuple[str, ...]) -> None:
    assert f"perfcoach {' '.join(path)}" in README, f"the README never shows {path}"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: perfcoach" in result.output
