"""`perfcoach dev check` on the built-in pack, as part of the suite: every lab is sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfcoach.catalog import load_pack

PACK = load_pack()


@pytest.mark.parametrize("lab_id", sorted(PACK.labs))
def test_every_lab_is_proved_by_its_own_tests(lab_id: str) -> None:
    """`dev check`'s judgement runs in each lab's test module, on the starter and solution
    checks that module already makes: no lab may be left without it."""
    module = Path(__file__).with_name(f"test_{lab_id.replace('-', '_')}.py")
    assert module.is_file(), f"{lab_id} has no test module"
    assert "from tests.labs.proof import test_dev_check_proves_the_lab" in module.read_text()


def test_every_lab_has_its_lesson_and_three_hints() -> None:
    for lab in PACK.labs.values():
        assert lab.module in PACK.lessons
        assert len(lab.hints) == 3, lab.id


HINT_LINK = re.compile(r" → lesson ([a-z0-9-]+) § (.+)$")
SECTION_NUMBER = re.compile(r"^\d+\.\s+")


def _sections(body: str) -> set[str]:
    """A lesson's headings as a hint may name them: as written, and without a number."""
    headings = {line.lstrip("#").strip() for line in body.splitlines() if line.startswith("#")}
    return headings | {SECTION_NUMBER.sub("", heading) for heading in headings}


def _code_lines(source: str) -> list[str]:
    """The reference's statements long enough that a hint quoting one gives the fix away."""
    lines = (line.strip() for line in source.splitlines())
    return [line for line in lines if len(line) >= 40 and not line.startswith(("#", '"'))]


@pytest.mark.parametrize("lab_id", sorted(PACK.labs))
def test_every_hint_links_the_lesson_section_it_relies_on(lab_id: str) -> None:
    lab = PACK.lab(lab_id)
    for number, hint in enumerate(lab.hints, start=1):
        link = HINT_LINK.search(hint)
        assert link, f"hint {number} ends with no '→ lesson ID § Section' link"
        lesson_id, section = link.groups()
        assert lesson_id in PACK.lessons, f"hint {number}: no lesson {lesson_id!r}"
        assert section in _sections(PACK.lessons[lesson_id].body), (
            f"hint {number}: lesson {lesson_id!r} has no section {section!r}"
        )


@pytest.mark.parametrize("lab_id", sorted(PACK.labs))
def test_the_last_hint_is_a_skeleton_not_the_solution(lab_id: str) -> None:
    lab = PACK.lab(lab_id)
    last = lab.hints[-1]
    assert last.startswith("Skeleton"), "hint 3 should say it is a skeleton"
    assert "yours" in last, "hint 3 should say which step is left to the learner"
    reference = [
        line
        for name in lab.files
        for line in _code_lines((lab.root / "solution" / name).read_text())
    ]
    quoted = [line for line in reference if line in last]
    assert len(quoted) <= 2 and 3 * len(quoted) < len(reference), (
        f"hint 3 quotes {len(quoted)} of the reference's {len(reference)} statements: {quoted}"
    )


def test_every_technical_mastery_item_is_proven_by_a_lab() -> None:
    """Every technical skill of the mastery checklist ticks itself from a lab the pack has;
    only the impact items (speedups delivered, costs cut, mentoring) rest on the learner's
    own work."""
    mastery = PACK.checklists["mastery"]
    technical = [
        item for section in mastery.sections if section.id != "impact" for item in section.items
    ]
    assert len(technical) == 24
    unproven = [item.id for item in technical if not item.proven_by]
    assert unproven == []
    for item in technical:
        assert set(item.proven_by) <= set(PACK.labs), item.id
