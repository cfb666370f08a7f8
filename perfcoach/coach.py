"""The learner's use cases, written once: loading the pack, starting and checking a lab,
hints, the solution, history and what to do next.

The CLI and the TUI both call these functions and only format what they return, so the two
faces cannot record or advise differently. Nothing here imports rich, typer or textual.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from perfcoach.errors import UsageError
from perfcoach.verdict import Verdict

if TYPE_CHECKING:
    from perfcoach.catalog import Lab, Pack
    from perfcoach.course import LevelState, NextStep
    from perfcoach.runner import CheckResult, Workspace
    from perfcoach.store import Attempt, Store


# -- the pack -------------------------------------------------------------------------------


def open_pack(root: Path | None = None) -> Pack:
    """The content pack with its broken parts left out (listed in pack.problems).

    One broken lab must not hide the good ones, so only a pack without a single usable lab
    is refused.
    """
    from perfcoach.catalog.errors import PackInvalid
    from perfcoach.catalog.pack_cache import read_pack_cached
    from perfcoach.paths import builtin_pack_root, cache_dir

    pack = read_pack_cached(root or builtin_pack_root(), cache_dir())
    if pack.problems and not pack.labs:
        raise PackInvalid(pack.root, pack.problems)
    return pack


def broken_labs(pack: Pack) -> list[str]:
    """Folder names of the labs left out of the pack because they failed validation."""
    labs_dir = pack.root / "labs"
    names = []
    for problem in pack.problems:
        try:
            name = problem.path.relative_to(labs_dir).parts[0]
        except (ValueError, IndexError):
            continue
        if name not in names and name not in pack.labs:
            names.append(name)
    return names


def pack_warning(pack: Pack) -> str | None:
    """One line saying what was left out of the pack and why, or None when it is whole.

    The broken labs come first: at 80 columns the end of the line may be cut.
    """
    if not pack.problems:
        return None
    first = pack.problems[0]
    try:
        where = str(first.path.relative_to(pack.root))
    except ValueError:
        where = str(first.path)
    detail = f"{where}: " + (f"key '{first.key}': " if first.key else "") + first.problem
    broken = broken_labs(pack)
    left_out = f"broken lab left out: {', '.join(broken)}; " if broken else ""
    return (
        f"{left_out}{len(pack.problems)} problem(s) in {pack.root}, first: {detail} "
        f"(details: perfcoach dev check {pack.root})"
    )


# -- the current lab ------------------------------------------------------------------------


def start_lab(store: Store, lab: Lab, force: bool = False) -> Workspace:
    """Copy the starter into the workspace (edits kept unless force) and make it current."""
    from perfcoach.runner import start

    workspace = start(lab, force=force)
    store.set_current_lab(lab.id)
    return workspace


def current_lab(store: Store, pack: Pack) -> Lab:
    """The lab most recently started (`lab start`, `next`, started in the app) or checked."""
    lab_id = store.current_lab()
    if lab_id is None:
        raise UsageError(
            "no current lab yet: name one, or start one with 'perfcoach next' "
            "or 'perfcoach lab start ID'"
        )
    if lab_id not in pack.labs:
        raise UsageError(
            f"the current lab '{lab_id}' is not in the content pack: name a lab "
            "(see 'perfcoach lab list')"
        )
    return pack.labs[lab_id]


def resolve_lab(store: Store, pack: Pack, lab_id: str | None) -> Lab:
    """The lab named, or the current lab when no id is given."""
    return pack.lab(lab_id) if lab_id is not None else current_lab(store, pack)


# -- checking -------------------------------------------------------------------------------


class Move(Enum):
    """The most useful next step after a verdict."""

    SOLUTION = "solution"  # passed: compare with the reference
    RECHECK = "recheck"  # inconclusive: the machine was too noisy, check again
    HINT = "hint"  # not passed and a hint is left
    PROFILE = "profile"  # not passed and every hint is revealed: measure where time goes


@dataclass(frozen=True)
class CheckOutcome:
    """A recorded check and what follows from it."""

    result: CheckResult
    attempt: Attempt
    hints_used: int
    hints_total: int
    move: Move
    next_lab: Lab | None  # after a pass: the next lab on the path that is not passed
    next_step: NextStep | None  # after a pass: the first unfinished item (maybe a lesson)
    level_done: LevelState | None  # the level this pass completed, if it did

    @property
    def next_hint(self) -> int:
        """The number of the hint a learner would reveal next (1-based)."""
        return self.hints_used + 1


def advise(verdict: Verdict, hints_used: int, hints_total: int) -> Move:
    """What to do after a verdict: compare, check again, take a hint, or profile."""
    if verdict is Verdict.PASS:
        return Move.SOLUTION
    if verdict is Verdict.INCONCLUSIVE:
        return Move.RECHECK
    return Move.HINT if hints_used < hints_total else Move.PROFILE


def record_check(
    store: Store, pack: Pack, lab: Lab, result: CheckResult, today: date | None = None
) -> CheckOutcome:
    """Store a check with the hints seen so far, make its lab current, and work out the
    next step, the next lab after a pass, and whether the pass completed a level."""
    from perfcoach.course import build_path

    level_before = (
        _level(build_path(pack, store, today).levels, lab.level) if result.passed else None
    )
    hints = store.hints_revealed(lab.id)
    attempt = store.record_attempt(result.attempt(hints))
    store.set_current_lab(lab.id)
    next_lab: Lab | None = None
    next_item: NextStep | None = None
    level_done: LevelState | None = None
    if result.passed:
        after = build_path(pack, store, today)
        next_lab = next_lab_after(store, pack, lab)
        next_item = after.next
        level_done = _completed(level_before, _level(after.levels, lab.level))
    return CheckOutcome(
        result,
        attempt,
        hints,
        len(lab.hints),
        advise(result.verdict, hints, len(lab.hints)),
        next_lab,
        next_item,
        level_done,
    )


def _level(levels: tuple[LevelState, ...], number: int) -> LevelState | None:
    return next((level for level in levels if level.level == number), None)


def _completed(before: LevelState | None, after: LevelState | None) -> LevelState | None:
    """The level, if it was unfinished before and is finished now."""
    if after is not None and after.done and not (before is not None and before.done):
        return after
    return None


def next_lab_after(store: Store, pack: Pack, lab: Lab) -> Lab | None:
    """The first lab after lab in path order that is not passed, else the first before it."""
    passed = {lab_id for lab_id, p in store.all_progress().items() if p.status == "passed"}
    ordered = pack.ordered_labs()
    index = next(i for i, other in enumerate(ordered) if other.id == lab.id)
    for other in [*ordered[index + 1 :], *ordered[:index]]:
        if other.id not in passed:
            return other
    return None


# -- hints ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hints:
    """The hints a learner has seen on a lab, and whether the last call revealed a new one."""

    lab: Lab
    shown: tuple[str, ...]
    new: bool

    @property
    def total(self) -> int:
        """How many hints the lab has."""
        return len(self.lab.hints)

    @property
    def exhausted(self) -> bool:
        """Every hint is revealed: what is left is profiling or the solution."""
        return len(self.shown) >= self.total


def hints_shown(store: Store, lab: Lab) -> Hints:
    """The hints revealed so far, in order, without revealing another."""
    return Hints(lab, lab.hints[: store.hints_revealed(lab.id)], new=False)


def reveal_hint(store: Store, lab: Lab) -> Hints:
    """Reveal (and record) the next hint, if one is left."""
    shown = store.hints_revealed(lab.id)
    if shown >= len(lab.hints):
        return Hints(lab, lab.hints, new=False)
    store.reveal_hint(lab.id, shown)
    return Hints(lab, lab.hints[: shown + 1], new=True)


# -- the solution ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SolutionFile:
    """One file of the reference solution."""

    name: str
    path: Path
    text: str


def solution_locked(store: Store, lab: Lab) -> bool:
    """The reference stays closed until a pass or a recorded give-up."""
    return not store.solution_unlocked(lab.id)


def open_solution(store: Store, lab: Lab, give_up: bool = False) -> list[SolutionFile]:
    """The reference files, and a record of the look at them.

    Any view before a pass counts as giving up (even when a previous give-up unlocked it),
    so progress says honestly that the lab was not solved unaided.
    """
    if solution_locked(store, lab) and not give_up:
        raise UsageError(
            f"the solution of '{lab.id}' unlocks after a pass; to see it now, "
            f"run 'perfcoach lab solution {lab.id} --give-up' (recorded)"
        )
    passed = store.lab_progress(lab.id).status == "passed"
    store.record_solution_view(lab.id, gave_up=not passed)
    return [
        SolutionFile(name, lab.solution_dir / name, _read(lab.solution_dir / name))
        for name in lab.files
    ]


def solution_diff(lab: Lab, solution: list[SolutionFile]) -> list[str]:
    """A unified diff from the learner's files to the reference, one list of lines."""
    from perfcoach.runner import require

    folder = require(lab)
    lines: list[str] = []
    for ref in solution:
        yours = _read(folder / ref.name)
        lines += difflib.unified_diff(
            yours.splitlines(keepends=True),
            ref.text.splitlines(keepends=True),
            fromfile=f"yours/{ref.name}",
            tofile=f"reference/{ref.name}",
        )
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read {path}: {reason or exc}") from None


# -- history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One attempt as the history views show it: the lab's primary metric only."""

    started: datetime
    verdict: Verdict
    value: float | None
    hints_used: int
    duration_s: float
    code_hash: str
    target: float | None = None  # the number the goal asked for, from this attempt's baseline


def history(store: Store, lab: Lab, limit: int) -> list[HistoryRow]:
    """The learner's attempts on lab, newest first, with the primary metric's value."""
    primary = lab.metrics[0]
    rows = []
    for attempt in store.attempts(lab.id, limit=limit):
        figures = attempt.metrics.get(primary.name) or {}
        value, baseline = figures.get("value"), figures.get("baseline")
        rows.append(
            HistoryRow(
                attempt.started,
                attempt.verdict,
                None if value is None else float(value),
                attempt.hints_used,
                attempt.duration_s,
                attempt.code_hash,
                primary.goal.threshold(None if baseline is None else float(baseline)),
            )
        )
    return rows


# -- the path -------------------------------------------------------------------------------


def next_step(store: Store, pack: Pack, today: date | None = None) -> NextStep | None:
    """The first unfinished item in path order: an unread lesson or a lab not passed.

    Quizzes do not hold the learner back: a lesson counts as done once read, the same rule
    the progress views count by.
    """
    from perfcoach.course import build_path

    return build_path(pack, store, today).next


def practice_lab(store: Store, pack: Pack, module_id: str) -> Lab | None:
    """The lab to practise a lesson with: its module's first lab not passed, else its first."""
    labs = [lab for lab in pack.ordered_labs() if lab.module == module_id]
    passed = {lab_id for lab_id, p in store.all_progress().items() if p.status == "passed"}
    return next((lab for lab in labs if lab.id not in passed), labs[0] if labs else None)


def read_lesson(store: Store, pack: Pack, lesson_id: str) -> LevelState | None:
    """Record a lesson as read; returns its level if this read completed it."""
    from perfcoach.course import build_path

    level = pack.lessons[lesson_id].level
    before = _level(build_path(pack, store).levels, level)
    store.mark_lesson_read(lesson_id)
    return _completed(before, _level(build_path(pack, store).levels, level))
