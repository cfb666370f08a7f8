"""The lab manifest (lab.toml, format_version 1) and the files a lab folder must hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from perfcoach.catalog._toml import Table, load_toml
from perfcoach.catalog.errors import CatalogError
from perfcoach.catalog.goals import Goal

FORMAT_VERSION = 1
LEVELS = {1: "Fundamentals", 2: "Intermediate", 3: "Advanced", 4: "Expert", 5: "Capstones"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 64  # ids become file names, table cells and command arguments
_FILE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.py$")
MAX_TIMEOUT_S = 600
# The candidate's and the baseline's processes; a bench that spawns more says how many in
# all, so the grader forks each of them too instead of starting an interpreter (~50 ms).
DEFAULT_SUBJECTS = 2
MAX_SUBJECTS = 16


@dataclass(frozen=True)
class MetricSpec:
    """One number bench.py reports and the goal it must meet."""

    name: str
    goal: Goal
    deterministic: bool
    label: str
    plausible: tuple[float, float]  # what the lab can physically produce, both sides

    @property
    def title(self) -> str:
        """What the learner reads in the verdict table."""
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True)
class Lab:
    """A validated lab: its manifest and the paths of its parts."""

    id: str
    title: str
    level: int
    module: str
    order: int  # place among its module's labs, as the lesson teaches them (1 = first)
    files: tuple[str, ...]
    timeout_s: int
    memory_mb: int
    hints: tuple[str, ...]
    metrics: tuple[MetricSpec, ...]
    root: Path
    serve_loopback: bool = False  # the learner's code may listen on 127.0.0.1 (port 0)
    subjects: int = DEFAULT_SUBJECTS  # processes its bench runs code in, forked before the spec

    @property
    def level_name(self) -> str:
        """Fundamentals, Intermediate, Advanced or Expert."""
        return LEVELS[self.level]

    @property
    def brief_path(self) -> Path:
        """The README.md that explains the scenario."""
        return self.root / "README.md"

    @property
    def bench_path(self) -> Path:
        """The grader, kept outside the learner's files."""
        return self.root / "bench.py"

    @property
    def driver_path(self) -> Path:
        """The half of the grader that runs beside the learner's code (nothing secret)."""
        return self.root / "driver.py"

    @property
    def starter_dir(self) -> Path:
        """The slow code, copied to the workspace and used as the baseline."""
        return self.root / "starter"

    @property
    def solution_dir(self) -> Path:
        """The reference fix."""
        return self.root / "solution"

    @property
    def main_file(self) -> str:
        """The module bench.py grades (the first file listed)."""
        return self.files[0]

    def metric(self, name: str) -> MetricSpec:
        """The metric spec called name."""
        for spec in self.metrics:
            if spec.name == name:
                return spec
        raise KeyError(name)


def load_lab(folder: Path) -> Lab:
    """Read and validate folder/lab.toml and the files it promises."""
    folder = folder.resolve()  # the sandbox runs elsewhere: every lab path must be absolute
    path = folder / "lab.toml"
    if not path.is_file():
        raise CatalogError(path, "is missing (every lab folder needs a lab.toml)")
    table = Table(path, load_toml(path))
    version = table.get("format_version", int)
    if version != FORMAT_VERSION:
        raise table.fail("format_version", f"must be {FORMAT_VERSION}, found {version}")
    lab_id = table.text("id")
    if not ID_PATTERN.match(lab_id):
        raise table.fail("id", f"{lab_id!r} must use only a-z, 0-9 and single dashes")
    if lab_id != folder.name:
        raise table.fail("id", f"{lab_id!r} must match its folder name {folder.name!r}")
    title = table.text("title")
    level = table.get("level", int)
    if level not in LEVELS:
        raise table.fail("level", f"must be one of {', '.join(map(str, LEVELS))}, found {level}")
    module = table.text("module")
    if not ID_PATTERN.match(module):
        raise table.fail("module", f"{module!r} must use only a-z, 0-9 and single dashes")
    order = table.get("order", int)
    if order < 1:
        raise table.fail("order", f"must be 1 or more (1 = the module's first lab), found {order}")
    files = table.strings("files")
    if not files:
        raise table.fail("files", "must list at least one file the learner edits")
    for name in files:
        if not _FILE_PATTERN.match(name):
            raise table.fail("files", f"{name!r} must be a plain importable .py file name")
    if len(set(files)) != len(files):
        raise table.fail("files", "lists a file twice")
    timeout_s = table.get("timeout_s", int)
    if not 1 <= timeout_s <= MAX_TIMEOUT_S:
        raise table.fail("timeout_s", f"must be between 1 and {MAX_TIMEOUT_S} seconds")
    memory_mb = table.get("memory_mb", int, 1024)
    if not 128 <= memory_mb <= 16384:
        raise table.fail("memory_mb", "must be between 128 and 16384")
    serve_loopback = table.get("serve_loopback", bool, False)
    subjects = table.get("subjects", int, DEFAULT_SUBJECTS)
    if not 1 <= subjects <= MAX_SUBJECTS:
        raise table.fail("subjects", f"must be between 1 and {MAX_SUBJECTS}")
    hints = table.strings("hints")
    if len(hints) < 1:
        raise table.fail("hints", "must hold at least one hint")
    metrics = tuple(_metric(t) for t in table.tables("metrics"))
    if not metrics:
        raise table.fail("metrics", "must declare at least one metric")
    names = [m.name for m in metrics]
    if len(set(names)) != len(names):
        raise table.fail("metrics", "declares a metric name twice")
    if not any(m.deterministic for m in metrics):
        raise table.fail("metrics", "needs at least one deterministic (counted) metric")
    table.finish()
    lab = Lab(
        lab_id,
        title,
        level,
        module,
        order,
        tuple(files),
        timeout_s,
        memory_mb,
        tuple(hints),
        metrics,
        folder,
        serve_loopback,
        subjects,
    )
    _check_files(lab)
    return lab


def _metric(table: Table) -> MetricSpec:
    name = table.text("name")
    if not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise table.fail("name", f"{name!r} must be snake_case")
    goal_text = table.text("goal")
    try:
        goal = Goal.parse(goal_text)
    except ValueError as exc:
        raise table.fail("goal", str(exc)) from None
    deterministic = table.get("deterministic", bool)
    label = table.get("label", str, "")
    bounds = table.get("plausible", list)
    if (
        len(bounds) != 2
        or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
        or not bounds[0] <= bounds[1]
    ):
        raise table.fail(
            "plausible",
            "must be [low, high]: the smallest and largest value this metric can physically "
            "take in this lab, for the starter and any fix",
        )
    table.finish()
    return MetricSpec(name, goal, deterministic, label, (float(bounds[0]), float(bounds[1])))


def _check_files(lab: Lab) -> None:
    for path in (lab.brief_path, lab.bench_path, lab.driver_path):
        if not path.is_file():
            raise CatalogError(path, "is missing")
    for kind in (lab.starter_dir, lab.solution_dir):
        for name in lab.files:
            if not (kind / name).is_file():
                raise CatalogError(kind / name, f"is missing (listed in files of {lab.id})")
