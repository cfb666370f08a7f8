"""What every lab's manifest, its lesson and its brief must agree on, checked in one place;
each lab's test adds what is particular to it."""

from __future__ import annotations

from pathlib import Path

from perfcoach.catalog import load_lesson
from perfcoach.catalog.lab import Lab
from perfcoach.catalog.lesson import Lesson

ROOT = Path(__file__).resolve().parents[2]


def lesson_and_brief(lab: Lab, module: str, level: int) -> tuple[Lesson, str]:
    """The lab's lesson and brief, once the parts every lab shares agree: the module and
    level, three hints, the brief naming each lab command, the lesson naming the lab."""
    (folder,) = (ROOT / "content").glob(f"{lab.level}-*")
    lesson = load_lesson(folder / f"{lab.module}.md")
    assert lesson.id == lab.module == module
    assert lesson.level == lab.level == level
    assert len(lab.hints) == 3
    brief = lab.brief_path.read_text()
    for command in ("start", "check", "hint", "profile"):
        assert f"perfcoach lab {command} {lab.id}" in brief
    assert f"perfcoach lab start {lab.id}" in lesson.body
    return lesson, brief
