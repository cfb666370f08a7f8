"""Quiz order and lint: choices are shuffled per learner, and the lint catches a quiz that
can be passed by picking the longest choice or always the same letter."""

from __future__ import annotations

from dataclasses import replace

from perfcoach.catalog import QuizQuestion, lint_quizzes, load_pack
from perfcoach.catalog.quizlint import lint_quiz
from perfcoach.paths import builtin_pack_root
from perfcoach.quiz import choice_order
from tests.helpers import FIXTURE_PACK


def test_choice_order_is_fixed_per_learner_and_differs_between_learners() -> None:
    mine = [choice_order("salt-a", "basics", i, 4) for i in range(20)]
    assert mine == [choice_order("salt-a", "basics", i, 4) for i in range(20)]
    assert all(sorted(order) == [0, 1, 2, 3] for order in mine)
    theirs = [choice_order("salt-b", "basics", i, 4) for i in range(20)]
    assert mine != theirs
    # Over many questions the authored first choice lands on every letter.
    assert {order.index(0) for order in mine} == {0, 1, 2, 3}


def test_lint_flags_the_longest_choice_and_one_position() -> None:
    lesson = load_pack(FIXTURE_PACK).lessons["fixture-basics"]
    assert lint_quiz(lesson).problems == []
    telling = QuizQuestion("Q?", ("no", "the long right answer", "nope"), 1, "why")
    biased = replace(lesson, quiz=(telling, telling, telling))
    lint = lint_quiz(biased)
    assert (lint.longest, lint.position, lint.at_position) == (3, 1, 3)
    assert lint.problems == [
        "the right choice is the longest in 3 of 3 questions (at most 40%)",
        "the right choice is choice B in 3 of 3 questions (at most half)",
    ]


def test_the_builtin_quizzes_pass_the_lint() -> None:
    pack = load_pack(builtin_pack_root())
    lints = lint_quizzes(pack.ordered_lessons())
    assert sum(lint.questions for lint in lints) >= 38
    assert {lint.lesson_id: lint.problems for lint in lints if lint.problems} == {}
