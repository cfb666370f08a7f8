"""`perfcoach dev check` on the built-in pack, as part of the suite: every lab is sound."""

from __future__ import annotations

import pytest

from perfcoach.catalog import load_pack
from perfcoach.dev import prove_lab

PACK = load_pack()


@pytest.mark.parametrize("lab_id", sorted(PACK.labs))
def test_starter_fails_and_solution_passes(lab_id: str) -> None:
    proof = prove_lab(PACK.lab(lab_id))
    assert proof.ok, proof.problems
    assert proof.starter.correct is True  # slow, but right
    assert all(row.verdict != "inconclusive" for row in proof.solution.metrics)


def test_every_lab_has_its_lesson_and_three_hints() -> None:
    for lab in PACK.labs.values():
        assert lab.module in PACK.lessons
        assert len(lab.hints) == 3, lab.id
