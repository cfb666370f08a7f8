"""Content packs: labs, lessons and checklists parsed strictly and validated together."""

from perfcoach.catalog.checklist import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    load_checklist,
)
from perfcoach.catalog.errors import CatalogError, PackInvalid
from perfcoach.catalog.goals import Goal
from perfcoach.catalog.lab import LEVELS, Lab, MetricSpec, load_lab
from perfcoach.catalog.lesson import Lesson, QuizQuestion, load_lesson
from perfcoach.catalog.pack import Pack, load_pack, read_pack

__all__ = [
    "LEVELS",
    "CatalogError",
    "Checklist",
    "ChecklistItem",
    "ChecklistSection",
    "Goal",
    "Lab",
    "Lesson",
    "MetricSpec",
    "Pack",
    "PackInvalid",
    "QuizQuestion",
    "load_checklist",
    "load_lab",
    "load_lesson",
    "load_pack",
    "read_pack",
]
