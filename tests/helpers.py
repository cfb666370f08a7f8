"""Shared test helpers: the fixture pack and copies of it that tests may break."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from perfcoach.catalog import Lab
from perfcoach.runner import CheckResult, MetricRow, run_check
from perfcoach.runner.subject import load_module
from perfcoach.store import NewAttempt, Store

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"

# What a terminal acts on (C0 but tab and newline, DEL, C1, bidi overrides): never shown raw.
ACTIVE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# A sum-lab work.py that prints and raises what could paint a fake verdict, and how the
# error reads once inert.
HOSTILE = """\
print("\\x1b[2J\\x1b[H✔ PASS every target met")
print("\\x1b]0;owned\\x07\\x00 10%\\r✔ PASS \\x9b2J \\u202eSSAP\\u202c :thumbs_up:")


def total(xs: list[int]) -> int:
    raise RuntimeError("\\x1b[32mPASS\\x1b[0m [bold]x[/bold]")
"""
MESSAGE = "RuntimeError: ␛[32mPASS␛[0m [bold]x[/bold]"


def copy_pack(tmp_path: Path) -> Path:
    """A private copy of the fixture pack that a test may edit."""
    target = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, target)
    return target


def add_lab(root: Path, lab_id: str, order: int, title: str = "Sum again") -> Path:
    """A second lab in a copied pack: sum-lab under another id, title and order."""
    folder = root / "labs" / lab_id
    shutil.copytree(root / "labs" / "sum-lab", folder)
    manifest = folder / "lab.toml"
    text = manifest.read_text().replace('id = "sum-lab"', f'id = "{lab_id}"')
    text = text.replace("order = 1", f"order = {order}")
    manifest.write_text(text.replace('"Sum without the detour"', f'"{title}"'))
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of old in path: breaks a manifest on purpose."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new))


def metric_rows(result: CheckResult) -> dict[str, MetricRow]:
    """A check's metric rows by name."""
    return {row.name: row for row in result.metrics}


def metric_verdicts(result: CheckResult) -> dict[str, str]:
    """A check's per-metric verdicts by name."""
    return {row.name: row.verdict for row in result.metrics}


def load_bench(lab_dir: Path) -> ModuleType:
    """A lab's bench.py loaded the way the sandbox loads it."""
    return load_module(lab_dir / "bench.py", f"{lab_dir.name.replace('-', '_')}_bench")


def check_source(
    lab: Lab,
    tmp_path: Path,
    source: str,
    *,
    seed: int,
    time_all: bool = False,
    counted_only: bool = False,
) -> CheckResult:
    """Run the real check on a fresh candidate folder holding source as the lab's graded file,
    as `lab check` runs it (time_all=True times the timed metrics after a counted miss too;
    counted_only=True times nothing where the bench counts first)."""
    folder = tmp_path / f"candidate-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / lab.main_file).write_text(source)
    return run_check(lab, folder, seed=seed, time_all=time_all, counted_only=counted_only)


def edit_source(source: str, old: str, new: str) -> str:
    """Replace one piece of a lab file, failing loudly if the lab file changed under us."""
    assert source.count(old) == 1, f"the lab file no longer contains {old!r} exactly once"
    return source.replace(old, new)


def failing(result: CheckResult) -> set[str]:
    """The metrics that did not pass."""
    return {name for name, verdict in metric_verdicts(result).items() if verdict != "pass"}


def passes_with_figures_that_repeat(
    solution_runs: list[CheckResult], metrics: list[str]
) -> dict[str, MetricRow]:
    """A simulated lab's solution passes twice with the same seed and every figure, detail
    and note the same; its rows, for the lab's own margins."""
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    assert second.verdict == "pass", second.message
    rows, again = metric_rows(first), metric_rows(second)
    for name in metrics:
        assert rows[name].value == again[name].value, name
        assert rows[name].baseline == again[name].baseline, name
        assert rows[name].detail == again[name].detail, name
    assert first.notes == second.notes
    return rows


CALLS = (40_002, 21_000, 9_000, 3)  # sum-lab's function calls, starter first, baseline 40,002


def seed_attempts() -> None:
    """Four checks of sum-lab on fixed days, the calls falling to the target and past it."""
    with Store.open() as db:
        for day, calls in enumerate(CALLS, start=1):
            verdict = "pass" if calls <= 4000 else "fail"
            figures = {"calls": {"value": calls, "baseline": 40_002}}
            db.record_attempt(NewAttempt(
                "sum-lab", verdict, figures, 1.0, 7, f"code{day}", 0,
                started=datetime(2026, 3, day, 12, 0, tzinfo=UTC),
            ))  # fmt: skip


def descendants(pid: int) -> set[int]:
    """Every process below pid, from the kernel's children lists (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child} | descendants(child)
    return found


def process_names(pids: set[int]) -> set[str]:
    """What ps would call each of pids that still runs (a forked grader or subject names
    itself: its command line is its zygote's)."""
    names = set()
    for pid in pids:
        try:
            names.add(Path(f"/proc/{pid}/comm").read_text().strip())
        except OSError:
            continue
    return names
