"""Content packs: labs, lessons and checklists parsed strictly and validated together.

Names load their module on first use (perfcoach.lazy)."""

from __future__ import annotations

from typing import Any

from perfcoach.lazy import attribute

_EXPORTS = {
    "Checklist": "perfcoach.catalog.checklist",
    "ChecklistItem": "perfcoach.catalog.checklist",
    "ChecklistSection": "perfcoach.catalog.checklist",
    "load_checklist": "perfcoach.catalog.checklist",
    "CatalogError": "perfcoach.catalog.errors",
    "PackInvalid": "perfcoach.catalog.errors",
    "Goal": "perfcoach.catalog.goals",
    "LEVELS": "perfcoach.catalog.lab",
    "Lab": "perfcoach.catalog.lab",
    "MetricSpec": "perfcoach.catalog.lab",
    "load_lab": "perfcoach.catalog.lab",
    "Lesson": "perfcoach.catalog.lesson",
    "QuizQuestion": "perfcoach.catalog.lesson",
    "load_lesson": "perfcoach.catalog.lesson",
    "Pack": "perfcoach.catalog.pack",
    "QuizLint": "perfcoach.catalog.quizlint",
    "lint_quizzes": "perfcoach.catalog.quizlint",
    "load_pack": "perfcoach.catalog.pack",
    "read_pack": "perfcoach.catalog.pack",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    return attribute(__name__, _EXPORTS, name)
