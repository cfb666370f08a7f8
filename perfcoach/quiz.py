"""Taking a lesson's quiz, written once for both faces: the learner's choice order and
recording an answer, whose first try is the one that scores."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfcoach.catalog.lesson import CHOICE_LETTERS

if TYPE_CHECKING:
    from perfcoach.catalog import Lesson, QuizQuestion
    from perfcoach.store import QuizScore, Store


@dataclass(frozen=True)
class ShownQuestion:
    """A question as this learner sees it: `order` lists authored choice indexes in the
    order shown, so what is stored never depends on the shuffle."""

    index: int
    question: QuizQuestion
    order: tuple[int, ...]

    @property
    def choices(self) -> list[tuple[str, int, str]]:
        """(letter, authored index, text) for each choice, in the order shown."""
        return [
            (CHOICE_LETTERS[position], authored, self.question.choices[authored])
            for position, authored in enumerate(self.order)
        ]


@dataclass(frozen=True)
class QuizAnswer:
    """What the learner sees after answering: right or not, the answer and why."""

    question_index: int
    choice: int
    right: bool
    try_number: int
    answer_letter: str
    answer_text: str
    explanation: str

    @property
    def scored(self) -> bool:
        """Only the first answer to a question counts towards the score."""
        return self.try_number == 1


def choice_order(salt: str, lesson_id: str, question_index: int, count: int) -> tuple[int, ...]:
    """A shuffle of range(count) fixed by the install's salt, the lesson and the question:
    the same learner always sees the same order, another learner another one."""
    seed = hashlib.sha256(f"{salt}\0{lesson_id}\0{question_index}".encode()).digest()
    order = list(range(count))
    random.Random(int.from_bytes(seed[:8], "big")).shuffle(order)
    return tuple(order)


def shown_quiz(store: Store, lesson: Lesson) -> list[ShownQuestion]:
    """Every question of the lesson with its choices in this learner's order."""
    salt = store.quiz_salt()
    return [
        ShownQuestion(index, question, choice_order(salt, lesson.id, index, len(question.choices)))
        for index, question in enumerate(lesson.quiz)
    ]


def answer_question(store: Store, shown: ShownQuestion, lesson_id: str, choice: int) -> QuizAnswer:
    """Record one answer (an authored choice index) and return the feedback to show."""
    question = shown.question
    if not 0 <= choice < len(question.choices):
        raise ValueError(f"choice {choice} is not one of question {shown.index + 1}'s choices")
    right = choice == question.answer
    try_number = store.record_quiz_answer(lesson_id, shown.index, choice, right)
    return QuizAnswer(
        shown.index,
        choice,
        right,
        try_number,
        CHOICE_LETTERS[shown.order.index(question.answer)],
        question.choices[question.answer],
        question.explanation,
    )


def score_text(score: QuizScore | None, questions: int) -> str:
    """The score as both faces print it: "first try 4/6", plus "· retake 6/6" after any
    question was answered again."""
    if score is None:
        return "quiz not taken"
    text = f"first try {score.correct}/{questions}"
    if score.answered < questions:
        text += f", {score.answered} of {questions} answered"
    if score.retaken:
        text += f" · retake {score.latest_correct}/{questions}"
    return text
