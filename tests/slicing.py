"""Which grading tests a run of the suite makes: a slice, the rest, or all of them.

Grading tests are the corpus checks (tests/grader) and each lab module's own tests
(tests/labs), all but its dev-check proof, which every run makes. They grow with every lab
and every learner file anybody writes, so a developer's `pytest -n 4` makes one slice of
them, about SLICE_TESTS spread over every lab, and `.ci/run` makes the rest on every
landing. The slice follows the git commit: a run is repeatable until the next commit, and
successive commits walk through all of them. A lab with uncommitted changes (its folder,
its corpus files, its test module) is graded in full, and so is every lab when the grader
itself has uncommitted changes, or when the run names what to run (a path, a test id, -k,
-m).
"""

from __future__ import annotations

import json
import math
import subprocess
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

import pytest

SLICE_TESTS = 200  # per run; the number of slices grows with the tests, not this
CORPUS_TESTS = ("test_attack_does_not_pass", "test_correct_alternative_passes")
ALWAYS = "test_dev_check_proves_the_lab"  # each lab's starter fails, its solution passes
MODES = ("slice", "all", "rest")
GRADER = (  # what decides a verdict: a change here may open a hole in any lab
    "perfcoach/runner/",
    "perfcoach/measure/",
    "perfcoach/catalog/",
    "perfcoach/sim/",
    "perfcoach/labkit.py",
    "perfcoach/driverkit.py",
    "perfcoach/verdict.py",
)
HARNESS = (  # how the grading tests check: as much the grader's as its own code
    "tests/grader/test_attacks.py",
    "tests/labs/conftest.py",
    "tests/labs/proof.py",
    "tests/helpers.py",
)
T = TypeVar("T")
WATCHED = ("labs", "tests/grader", "tests/labs", *GRADER, *HARNESS)


@dataclass(frozen=True)
class Choice:
    """What the controller decided, handed to every xdist worker so they all agree."""

    mode: str  # slice | all | rest
    rotation: int  # picks the slice: from the commit, or the number the user gave
    origin: str  # where it came from, for the header
    changed_labs: tuple[str, ...] = ()  # graded in full in a slice, left out of the rest
    why_all: str = ""  # why a run asked for a slice grades everything

    def encode(self) -> str:
        """As one string, for xdist's workerinput."""
        return json.dumps(asdict(self))

    @classmethod
    def decode(cls, text: str) -> Choice:
        """The controller's choice, in a worker."""
        data = json.loads(text)
        return cls(**{**data, "changed_labs": tuple(data["changed_labs"])})


def _git(root: Path, *args: str) -> str | None:
    """A git command's output, or None without git or outside a repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def changed(root: Path) -> tuple[set[str], bool]:
    """(labs with uncommitted changes, whether the grader's own code has some)."""
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *WATCHED) or ""
    labs: set[str] = set()
    grader = False
    for line in status.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        parts = Path(path).parts
        if path.startswith(GRADER) or path in HARNESS:
            grader = True
        elif parts[0] == "labs" and len(parts) > 1:
            labs.add(parts[1])
        elif parts[:2] == ("tests", "grader") and len(parts) > 3:
            labs.add(parts[3])
        elif parts[:2] == ("tests", "labs") and parts[-1].startswith("test_"):
            labs.add(parts[-1].removeprefix("test_").removesuffix(".py").replace("_", "-"))
    return labs, grader


def choose(option: str, root: Path, *, named: bool = False) -> Choice:
    """Read --grading (slice, all, rest, or a slice number); a bad value is a usage error
    before any test runs."""
    numbered = option.isdigit()
    if not numbered and option not in MODES:
        raise pytest.UsageError(
            f"--grading must be one of {', '.join(MODES)} or a slice number, not {option!r}"
        )
    if option == "all":
        return Choice("all", 0, "--grading=all")
    labs, grader = changed(root)
    if numbered:
        return Choice("slice", int(option), f"--grading={option}", tuple(sorted(labs)))
    head = (_git(root, "rev-parse", "HEAD") or "").strip()
    rotation, origin = (int(head[:8], 16), f"commit {head[:7]}") if head else (0, "no git commit")
    why_all = ""
    if option == "slice" and named:
        why_all = "the run names what to run"
    elif option == "slice" and grader:
        why_all = "the grader has uncommitted changes"
    return Choice("all" if why_all else option, rotation, origin, tuple(sorted(labs)), why_all)


def grading_key(item: pytest.Item) -> tuple[str, str] | None:
    """(lab id, test id) for a grading test a slice may leave out, None for any other."""
    name = getattr(item, "originalname", item.name)
    if name in CORPUS_TESTS:
        return item.callspec.params["case"].lab_id, item.nodeid  # type: ignore[attr-defined]
    lab_dir = getattr(item.module, "LAB_DIR", None) if isinstance(item, pytest.Function) else None
    if lab_dir is None or name == ALWAYS or item.path.parent.name != "labs":
        return None
    return Path(lab_dir).name, item.nodeid


def slices_for(tests: int) -> int:
    """How many slices `tests` grading tests are cut into."""
    return max(1, math.ceil(tests / SLICE_TESTS))


def in_slice(keys: list[tuple[str, str]], choice: Choice) -> set[str]:
    """The tests of the chosen slice: each lab's dealt round-robin over the slices in a
    fixed shuffled order, so every slice holds a share of every lab's."""
    slices = slices_for(len(keys))
    wanted = choice.rotation % slices
    by_lab: dict[str, list[str]] = defaultdict(list)
    for lab_id, test_id in keys:
        by_lab[lab_id].append(test_id)
    chosen: set[str] = set()
    for lab_id, ids in by_lab.items():
        ids.sort(key=lambda test_id: zlib.crc32(test_id.encode()))
        start = zlib.crc32(lab_id.encode())
        chosen.update(t for i, t in enumerate(ids) if (start + i) % slices == wanted)
    return chosen


def select(
    items: list[T], choice: Choice, key: Callable[[T], tuple[str, str] | None]
) -> tuple[list[T], list[T]]:
    """(kept, deselected): a slice keeps every other test, the rest none of them (the
    slice's run made them), and a changed lab's grading tests go with the slice."""
    if choice.mode == "all":
        return items, []
    keyed = [(item, key(item)) for item in items]
    chosen = in_slice([found for _, found in keyed if found is not None], choice)
    kept: list[T] = []
    dropped: list[T] = []
    for item, found in keyed:
        if found is None or found[0] in choice.changed_labs:
            wanted = choice.mode == "slice"
        else:
            wanted = (found[1] in chosen) == (choice.mode == "slice")
        (kept if wanted else dropped).append(item)
    return kept, dropped


def header(choice: Choice) -> str:
    """The line pytest prints at the start of a run, so a failure can be run again."""
    if choice.mode == "all":
        return f"grading: every test ({choice.why_all or '--grading=all'})"
    which = f"the slice of {choice.origin}"
    if choice.mode == "rest":
        return f"grading: every test but {which}"
    text = f"grading: {which}, about {SLICE_TESTS} tests; --grading=all for every one"
    if choice.changed_labs:
        text += f"; in full for the changed labs {', '.join(choice.changed_labs)}"
    return text
