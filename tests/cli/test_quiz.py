"""`perfcoach lesson quiz`: shuffled lettered choices, explanations, the first try scores,
and input that ends or makes no sense stops with one line and keeps what was answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.catalog import load_pack
from perfcoach.cli.app import app
from perfcoach.quiz import ShownQuestion, shown_quiz
from perfcoach.store import Store
from tests.helpers import FIXTURE_PACK, copy_pack, edit

LESSON = load_pack(FIXTURE_PACK).lessons["fixture-basics"]


def _letters(pick: str) -> list[str]:
    """The letter this learner sees for each question's right ("right") or a wrong choice."""
    with Store.open() as db:
        shown = shown_quiz(db, LESSON)
    letters = []
    for item in shown:
        right = item.question.answer
        wanted = right if pick == "right" else (right + 1) % len(item.question.choices)
        letters.append(next(letter for letter, i, _ in item.choices if i == wanted))
    return letters


def _rows() -> list[tuple[int, int, int]]:
    with Store.open() as db:
        return db._rows("SELECT question_index, choice, correct FROM quiz_answers ORDER BY id")


def test_quiz_explains_each_answer_and_records_authored_choices(runner: CliRunner) -> None:
    right = _letters("right")
    wrong = _letters("wrong")
    result = runner.invoke(
        app, ["lesson", "quiz", "fixture-basics"], input=f"{right[0]}\n{wrong[1]}\n{right[2]}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Q1/3. Which is deterministic?" in result.output
    assert f" {right[0]}. A count of function calls" in result.output
    assert result.output.count("✔ Right.") == 2 and result.output.count("✘ Not quite.") == 1
    assert f"The answer is {right[1]}. Drift in machine speed between runs" in result.output
    assert "Pairs sampled back to back see the same machine state." in result.output
    assert "score: first try 2/3" in result.output
    # Stored choices are authored indexes, whatever letters this learner saw.
    assert _rows() == [(0, 1, 1), (1, 1, 0), (2, 2, 1)]


def test_the_order_is_the_same_every_time_for_one_learner(runner: CliRunner) -> None:
    first = runner.invoke(app, ["lesson", "quiz", "fixture-basics"], input="A\nA\nA\n")
    again = runner.invoke(app, ["lesson", "quiz", "fixture-basics"], input="A\nA\nA\n")
    shown = [line for line in first.output.splitlines() if line[1:3] in ("A.", "B.", "C.")]
    assert len(shown) == 9
    assert shown == [line for line in again.output.splitlines() if line[1:3] in ("A.", "B.", "C.")]
    assert [row[1] for row in _rows()[:3]] == [row[1] for row in _rows()[3:]]


def test_a_retake_does_not_change_the_score(runner: CliRunner) -> None:
    wrong, right = _letters("wrong"), _letters("right")
    runner.invoke(app, ["lesson", "quiz", "fixture-basics"], input="\n".join(wrong) + "\n")
    retake = runner.invoke(app, ["lesson", "quiz", "fixture-basics"], input="\n".join(right) + "\n")
    assert retake.exit_code == 0, retake.output
    assert "already taken (first try 0/3)" in retake.output
    assert "score: first try 0/3 · retake 3/3" in retake.output
    with Store.open() as db:
        score = db.quiz_scores()["fixture-basics"]
    assert (score.correct, score.latest_correct) == (0, 3)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("", "error: no answer to question 2: input ended"),
        ("Z\n", "error: 'Z' is not one of A, B, C (question 2); earlier answers are recorded"),
    ],
)
def test_input_that_ends_or_is_wrong_stops_in_one_line(
    runner: CliRunner, answers: str, message: str
) -> None:
    result = runner.invoke(app, ["lesson", "quiz", "fixture-basics"], input=f"B\n{answers}")
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert len(_rows()) == 1  # the first answer is kept


def test_lesson_show_points_at_its_quiz(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lesson", "show", "fixture-basics"])
    assert result.exit_code == 0
    assert "test yourself: perfcoach lesson quiz fixture-basics" in result.output


def test_quiz_of_an_unknown_lesson(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lesson", "quiz", "nope"])
    assert result.exit_code == 2 and "unknown lesson 'nope'" in result.stderr


def test_lesson_list_is_in_path_order(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_pack(tmp_path)
    source = (root / "content/1-fundamentals/fixture-basics.md").read_text()
    first = source.replace('id = "fixture-basics"', 'id = "zz-first"\norder = 1')
    (root / "content/1-fundamentals/zz-first.md").write_text(first)
    monkeypatch.setenv("PERFCOACH_PACK", str(root))
    result = runner.invoke(app, ["lesson", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.index("zz-first") < result.output.index("fixture-basics")


def test_dev_check_flags_a_quiz_whose_answers_stand_out(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    lesson = root / "content/1-fundamentals/fixture-basics.md"
    edit(lesson, '"Noise inside one sample"]', '"Noise"]')
    edit(lesson, '"Wall-clock time of one run", ', '"Wall-clock time", ')
    edit(lesson, '"The median of five timings"]', '"A median"]')
    result = runner.invoke(app, ["dev", "check", str(root)])
    assert result.exit_code == 1
    assert "quiz of fixture-basics: the right choice is the longest in 2 of 3" in result.output
    passing = runner.invoke(app, ["dev", "check", str(FIXTURE_PACK)])
    assert passing.exit_code == 0, passing.output
    assert "fixture-basics" in passing.output and "1/3" in passing.output


def test_ctrl_c_keeps_the_answers_given(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from perfcoach.cli import lesson

    asked = lesson._ask

    def ask_then_stop(out: object, shown: ShownQuestion, total: int) -> int:
        if shown.index == 1:
            raise KeyboardInterrupt
        return asked(out, shown, total)  # type: ignore[arg-type]

    monkeypatch.setattr(lesson, "_ask", ask_then_stop)
    result = runner.invoke(app, ["lesson", "quiz", "fixture-basics"], input="A\n")
    assert result.exit_code == 130
    assert "interrupted: the answers given so far are recorded" in result.stderr
    assert len(_rows()) == 1


def test_first_tries_survive_export_and_import(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open() as db:  # wrong (authored 2), then right (1), within one second
        db.record_quiz_answer("fixture-basics", 0, 2, False)
        db.record_quiz_answer("fixture-basics", 0, 1, True)
        before = db.quiz_scores()
    exported = tmp_path / "me.json"
    assert runner.invoke(app, ["progress", "export", "-o", str(exported)]).exit_code == 0
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path / "laptop"))
    imported = runner.invoke(app, ["progress", "import", str(exported)])
    assert imported.exit_code == 0, imported.output
    with Store.open() as db:
        after = db.quiz_scores()
    assert after == before
    assert (after["fixture-basics"].correct, after["fixture-basics"].latest_correct) == (0, 1)
