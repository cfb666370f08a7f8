"""Fixtures every lab test file shares; each file names its lab with LAB_DIR, SOLUTION, SEED."""

from __future__ import annotations

import pytest

from perfcoach.catalog import Lab, load_lab
from perfcoach.runner import CheckResult, run_check


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each lab's test module on one xdist worker (`--dist loadgroup`): its module
    fixtures grade the starter once and the solution twice, which a second worker would
    repeat."""
    for item in items:
        if item.path.parent.name == "labs" and item.path.name.startswith("test_"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(scope="module")
def lab(request: pytest.FixtureRequest) -> Lab:
    """The lab under test, from the test module's LAB_DIR."""
    return load_lab(request.module.LAB_DIR)


@pytest.fixture(scope="module")
def solution_runs(
    lab: Lab, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> list[CheckResult]:
    """The module's SOLUTION checked twice with its SEED: it must pass, with identical counts.
    The second run repeats only the counts (counted_only): in a lab whose bench counts
    before it times, timing the same code again would prove nothing the first run did not."""
    folder = tmp_path_factory.mktemp("solution")
    (folder / lab.main_file).write_text(request.module.SOLUTION)
    seed = request.module.SEED
    return [run_check(lab, folder, seed=seed), run_check(lab, folder, seed=seed, counted_only=True)]


@pytest.fixture(scope="module")
def starter_run(
    lab: Lab, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> CheckResult:
    """The module's STARTER checked once with its SEED, shared by the starter's tests and
    the dev-check proof (grading it again for each costs the suite seconds per lab)."""
    folder = tmp_path_factory.mktemp("starter")
    (folder / lab.main_file).write_text(request.module.STARTER)
    return run_check(lab, folder, seed=request.module.SEED)
