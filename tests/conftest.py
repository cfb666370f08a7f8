"""Shared fixtures: no test may touch the real perfcoach home."""

from __future__ import annotations

import compileall
import signal
from pathlib import Path
from typing import Any

import pytest

from tests import slicing

ROOT = Path(__file__).resolve().parent.parent
_GRADING = pytest.StashKey[slicing.Choice]()  # the run's choice of grading tests


def pytest_addoption(parser: pytest.Parser) -> None:
    """--grading: how many of the grading tests this run makes (tests/slicing.py)."""
    parser.addoption(
        "--grading",
        default="slice",
        metavar="WHICH",
        help="the grading tests to run: 'slice' (default: this commit's share of every "
        "lab's, all of a changed lab's, and every other test), 'rest' (the grading tests "
        "the slice left out, and nothing else; .ci/run runs both), 'all', or a slice number",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Let Ctrl-C reach the commands the tests start; choose the run's grading tests
    (tests/slicing.py); compile perfcoach and the labs' graders once, before any worker
    starts.

    A suite started in the background of a script (`pytest ... &` in a non-interactive
    shell) inherits SIGINT ignored, and so would every perfcoach it starts: the tests that
    press Ctrl-C in `lab check`, `lab watch` and `load` would then wait for nothing.
    Catching it here lets each child start with the default again, as from a terminal.

    Graders and subjects never write bytecode (PYTHONDONTWRITEBYTECODE keeps learners'
    folders clean), so in a fresh clone every one of the suite's thousands of grader and
    subject processes would compile the same modules again.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        config.stash[_GRADING] = slicing.Choice.decode(config.workerinput["grading"])
        return
    named = config.args_source is pytest.Config.ArgsSource.ARGS  # paths or test ids
    named = named or bool(config.option.keyword or config.option.markexpr)
    config.stash[_GRADING] = slicing.choose(config.getoption("grading"), ROOT, named=named)
    compileall.compile_dir(ROOT / "perfcoach", quiet=2)
    for bench in [*ROOT.glob("labs/*/bench.py"), *ROOT.glob("tests/fixtures/*/labs/*/bench.py")]:
        compileall.compile_file(bench, quiet=2)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Hand the controller's choice to each xdist worker, so they all collect alike."""
    node.workerinput["grading"] = node.config.stash[_GRADING].encode()


def pytest_report_header(config: pytest.Config) -> str:
    """Which grading tests this run makes, so a failing one can be run again."""
    return slicing.header(config.stash[_GRADING])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the grading tests outside this run's share."""
    kept, dropped = slicing.select(items, config.stash[_GRADING], slicing.grading_key)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point PERFCOACH_HOME at a per-test directory so state never leaks between tests."""
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path))
