"""Quiz lint: a quiz whose right answers stand out by length or position tests form,
not understanding, so `perfcoach dev check` flags it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfcoach.catalog.lesson import CHOICE_LETTERS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from perfcoach.catalog.lesson import Lesson, QuizQuestion

MAX_LONGEST_SHARE = 0.4
MAX_POSITION_SHARE = 0.5


@dataclass(frozen=True)
class QuizLint:
    """One lesson's figures: how often the right choice is the longest, and its most
    frequent authored position (0 = A)."""

    lesson_id: str
    questions: int
    longest: int
    position: int
    at_position: int

    @property
    def problems(self) -> list[str]:
        """What gives the answers away; empty when the quiz passes."""
        found = []
        if self.longest > MAX_LONGEST_SHARE * self.questions:
            found.append(
                f"the right choice is the longest in {self.longest} of {self.questions} "
                f"questions (at most {MAX_LONGEST_SHARE:.0%})"
            )
        if self.at_position > MAX_POSITION_SHARE * self.questions:
            found.append(
                f"the right choice is choice {CHOICE_LETTERS[self.position]} in {self.at_position} "
                f"of {self.questions} questions (at most half)"
            )
        return found


def is_longest(question: QuizQuestion) -> bool:
    """The right choice is at least as long as every other: a learner could pick it by length."""
    right = len(question.choices[question.answer])
    return all(
        right >= len(choice) for i, choice in enumerate(question.choices) if i != question.answer
    )


def lint_quiz(lesson: Lesson) -> QuizLint:
    """The figures for one lesson's quiz."""
    positions = Counter(question.answer for question in lesson.quiz)
    position, at_position = min(positions.items(), key=lambda item: (-item[1], item[0]))
    longest = sum(is_longest(question) for question in lesson.quiz)
    return QuizLint(lesson.id, len(lesson.quiz), longest, position, at_position)


def lint_quizzes(lessons: Iterable[Lesson]) -> list[QuizLint]:
    """Every lesson's figures, in the order given."""
    return [lint_quiz(lesson) for lesson in lessons]
