"""The course as a learner sees it: levels, modules, labs, progress and what comes next.

Both faces (CLI `progress`, the TUI's Path and Progress screens) render this one model,
so they can never disagree about what is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from perfcoach.catalog.lab import LEVELS, Lab
from perfcoach.catalog.lesson import Lesson
from perfcoach.runner.workspace import workspace_dir

if TYPE_CHECKING:
    from perfcoach.catalog import Pack
    from perfcoach.store import LabProgress, QuizScore, Store


@dataclass(frozen=True)
class LabState:
    """A lab and where the learner stands on it."""

    lab: Lab
    status: str  # not started | started | failing | passed
    attempts: int
    hints: int

    @property
    def done(self) -> bool:
        """Only a pass finishes a lab."""
        return self.status == "passed"


@dataclass(frozen=True)
class ModuleState:
    """One module of a level: its lesson (read? quiz?) and its labs."""

    id: str
    lesson: Lesson | None
    read: bool
    quiz: QuizScore | None
    labs: tuple[LabState, ...]

    @property
    def title(self) -> str:
        """The lesson's title, or the module id while it has no lesson."""
        return self.lesson.title if self.lesson else self.id.replace("-", " ")

    @property
    def items(self) -> int:
        """Things to finish: the lesson (if any) and every lab."""
        return (1 if self.lesson else 0) + len(self.labs)

    @property
    def finished(self) -> int:
        """Things finished: a read lesson and every passed lab."""
        return int(self.read) + sum(1 for lab in self.labs if lab.done)

    @property
    def done(self) -> bool:
        """Everything in the module is finished."""
        return self.items > 0 and self.finished == self.items


@dataclass(frozen=True)
class LevelState:
    """A level of the path with its modules in teaching order."""

    level: int
    name: str
    modules: tuple[ModuleState, ...]

    @property
    def items(self) -> int:
        """Things to finish in the level."""
        return sum(m.items for m in self.modules)

    @property
    def finished(self) -> int:
        """Things finished in the level."""
        return sum(m.finished for m in self.modules)

    @property
    def done(self) -> bool:
        """Every lesson of the level read and every lab passed."""
        return self.items > 0 and self.finished == self.items


@dataclass(frozen=True)
class NextStep:
    """The first unfinished item on the path: read a lesson, or work on a lab."""

    kind: str  # "lesson" | "lab"
    id: str
    title: str


@dataclass(frozen=True)
class PathState:
    """The whole path plus the headline numbers the progress views show."""

    levels: tuple[LevelState, ...]
    next: NextStep | None
    streak: int
    totals: dict[str, int]

    def lab(self, lab_id: str) -> LabState:
        """The state of one lab."""
        for level in self.levels:
            for module in level.modules:
                for state in module.labs:
                    if state.lab.id == lab_id:
                        return state
        raise KeyError(lab_id)


def streak(days: set[date], today: date) -> int:
    """Consecutive active days ending today, or yesterday if today has nothing yet."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _lab_state(lab: Lab, progress: LabProgress | None) -> LabState:
    status = progress.status if progress else "not started"
    if status == "not started" and workspace_dir(lab).is_dir():
        status = "started"
    return LabState(
        lab,
        status,
        progress.attempts if progress else 0,
        progress.hints_revealed if progress else 0,
    )


def build_path(pack: Pack, store: Store, today: date | None = None) -> PathState:
    """Combine the pack's content with the learner's records into the path model."""
    progress = store.all_progress()
    read = store.lessons_read()
    quizzes = store.quiz_scores()
    levels = []
    first: NextStep | None = None
    for level, name in LEVELS.items():
        lessons = [lesson for lesson in pack.lessons.values() if lesson.level == level]
        labs = [lab for lab in pack.ordered_labs() if lab.level == level]
        module_ids = [lesson.id for lesson in sorted(lessons, key=lambda x: (x.order, x.id))]
        module_ids += sorted({lab.module for lab in labs} - set(module_ids))
        modules = []
        for module_id in module_ids:
            lesson = pack.lessons.get(module_id)
            lab_states = tuple(
                _lab_state(lab, progress.get(lab.id)) for lab in labs if lab.module == module_id
            )
            module = ModuleState(
                module_id, lesson, module_id in read, quizzes.get(module_id), lab_states
            )
            modules.append(module)
            if first is None and lesson is not None and not module.read:
                first = NextStep("lesson", lesson.id, lesson.title)
            if first is None:
                todo = next((s for s in lab_states if not s.done), None)
                if todo is not None:
                    first = NextStep("lab", todo.lab.id, todo.lab.title)
        levels.append(LevelState(level, name, tuple(modules)))
    today = today or datetime.now(UTC).date()
    return PathState(tuple(levels), first, streak(store.activity_dates(), today), store.totals())
