"""The core never imports a UI library, and the CLI entry point imports nothing heavy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from perfcoach.runner.subject import HARNESS_MODULES

CORE = [
    "perfcoach.catalog",
    "perfcoach.store",
    "perfcoach.runner",
    "perfcoach.runner.sandbox",
    "perfcoach.runner.grader",
    "perfcoach.runner.subject",
    "perfcoach.runner.sqlservice",
    "perfcoach.driverkit",
    "perfcoach.processes",
    "perfcoach.measure",
    "perfcoach.measure.profilers",
    "perfcoach.measure.commands",
    "perfcoach.efforts",
    "perfcoach.report",
    "perfcoach.labkit",
    "perfcoach.dev",
    "perfcoach.course",
    "perfcoach.coach",
    "perfcoach.quiz",
    "perfcoach.catalog.quizlint",
    "perfcoach.safetext",
    "perfcoach.numbers",
    "perfcoach.verdict",
    "perfcoach.runner.contracts",
    "perfcoach.settings",
    "perfcoach.editor",
    "perfcoach.runner.watch",
    "perfcoach.sim",
    "perfcoach.sim.sharding",
    "perfcoach.sim.capacity",
]


def loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui(module: str) -> None:
    assert not {"textual", "rich", "typer"} & loaded_after(module)


def test_cli_entry_point_defers_heavy_imports() -> None:
    heavy = {"textual", "sqlite_utils", "scalene", "memory_profiler", "numpy"}
    assert not heavy & loaded_after("perfcoach.cli.app")


def test_the_subject_harness_loads_only_what_it_needs() -> None:
    """The harness runs beside learner code: nothing of the catalog, the store, the bench
    API or any third-party package is loaded there (less to start, less to reach)."""
    code = "import sys, perfcoach.runner.subject; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    ours = {name for name in out.stdout.split() if name.startswith("perfcoach")}
    assert ours == HARNESS_MODULES  # and all a forked subject keeps (tests/runner/test_zygote.py)
    kept_out = ("perfcoach.catalog", "perfcoach.store", "perfcoach.labkit", "perfcoach.sim")
    assert not {name for name in ours if name.startswith(kept_out)}
    stdlib = set(sys.stdlib_module_names)
    third_party = {name.split(".")[0] for name in out.stdout.split()} - stdlib - {"perfcoach"}
    assert not {name for name in third_party if not name.startswith("_")}


def test_the_first_screen_loads_no_profiler_and_no_cli(tmp_path: Path) -> None:
    """The app's first screen is drawn without what only a profile needs (scalene and the
    numpy it brings) and without the CLI layer (typer, and pydantic under it)."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('\\n'.join(sys.modules), file=sys.stderr))\n"
        "sys.argv = ['perfcoach']\n"
        "from perfcoach.cli.launch import main\n"
        "main()\n"
    )
    env = dict(os.environ, PERFCOACH_HOME=str(tmp_path), PERFCOACH_EXIT_AFTER_FIRST_SCREEN="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = {name.split(".")[0] for name in out.stderr.split()}
    assert "textual" in loaded  # the screen was drawn
    heavy = {"scalene", "memory_profiler", "numpy", "typer", "pydantic"}
    assert not heavy & loaded
