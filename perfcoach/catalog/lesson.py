"""Lessons: Markdown with TOML front matter between '+++' lines, including the quiz."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perfcoach.catalog._toml import Table, parse_toml, read_text
from perfcoach.catalog.errors import CatalogError
from perfcoach.catalog.lab import ID_PATTERN, LEVELS
from perfcoach.sim.presets import PRESETS

FENCE = "+++"
LEVEL_DIRS = {
    1: "1-fundamentals",
    2: "2-intermediate",
    3: "3-advanced",
    4: "4-expert",
    5: "5-capstones",
}
CHOICE_LETTERS = "ABCDEF"  # a question offers 2 to 6 choices, shown with these letters


@dataclass(frozen=True)
class QuizQuestion:
    """A multiple-choice question whose explanation is shown after any answer."""

    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str


@dataclass(frozen=True)
class Lesson:
    """One module's lesson: identity, place in its level, objectives, the body and the quiz."""

    id: str
    title: str
    level: int
    order: int
    objectives: tuple[str, ...]
    quiz: tuple[QuizQuestion, ...]
    body: str
    path: Path
    playground: tuple[str, ...] = ()  # presets of the TUI's playground that illustrate it


def load_lesson(path: Path) -> Lesson:
    """Read and validate one lesson file."""
    lines = read_text(path).splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise CatalogError(path, f"must start with a '{FENCE}' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise CatalogError(path, f"front matter is not closed by a '{FENCE}' line") from None
    table = Table(path, parse_toml(path, "".join(lines[1:end])))
    lesson_id = table.text("id")
    if not ID_PATTERN.match(lesson_id):
        raise table.fail("id", f"{lesson_id!r} must use only a-z, 0-9 and single dashes")
    if path.stem != lesson_id:
        raise table.fail("id", f"{lesson_id!r} must match the file name {path.name!r}")
    title = table.text("title")
    level = table.get("level", int)
    if level not in LEVELS:
        raise table.fail("level", f"must be one of {', '.join(map(str, LEVELS))}, found {level}")
    if path.parent.name != LEVEL_DIRS[level]:
        raise table.fail("level", f"level {level} lessons live in {LEVEL_DIRS[level]}/")
    order = table.get("order", int, 100)
    objectives = table.strings("objectives")
    if not objectives:
        raise table.fail("objectives", "must list what the learner will be able to do")
    playground = table.strings("playground", [])
    for i, name in enumerate(playground):
        if name not in PRESETS:
            raise table.fail(f"playground[{i}]", f"{name!r} is not a playground preset")
    quiz = tuple(_question(t) for t in table.tables("quiz"))
    if not 3 <= len(quiz) <= 6:
        raise table.fail("quiz", f"must hold 3 to 6 questions, found {len(quiz)}")
    table.finish()
    body = "".join(lines[end + 1 :]).strip() + "\n"
    if len(body.strip()) < 200:
        raise CatalogError(path, "lesson body is too short to teach anything")
    return Lesson(
        lesson_id, title, level, order, tuple(objectives), quiz, body, path, tuple(playground)
    )


def _question(table: Table) -> QuizQuestion:
    question = table.text("question")
    choices = table.strings("choices")
    if not 2 <= len(choices) <= len(CHOICE_LETTERS):
        raise table.fail("choices", "must offer 2 to 6 choices")
    answer = table.get("answer", int)
    if not 0 <= answer < len(choices):
        raise table.fail("answer", f"must index a choice (0..{len(choices) - 1}), found {answer}")
    explanation = table.text("explanation")
    table.finish()
    return QuizQuestion(question, tuple(choices), answer, explanation)
