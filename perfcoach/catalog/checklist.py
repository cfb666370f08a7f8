"""Checklist templates (checklists/*.toml): sections of items, each with a reason to do it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perfcoach.catalog._toml import Table, load_toml
from perfcoach.catalog.lab import FORMAT_VERSION, ID_PATTERN


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do, why it matters, the labs/lessons that teach it, and the labs whose
    pass proves it (mastery items tick themselves from lab results)."""

    id: str
    text: str
    why: str
    teaches: tuple[str, ...]
    proven_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChecklistSection:
    """A named group of items (e.g. 'Database' in the optimization checklist)."""

    id: str
    title: str
    items: tuple[ChecklistItem, ...]


SCOPES = ("effort", "learner")


@dataclass(frozen=True)
class Checklist:
    """A validated checklist template; scope says whether it is ticked per effort (a job on
    your code) or once for the learner (the mastery checklist)."""

    id: str
    title: str
    description: str
    sections: tuple[ChecklistSection, ...]
    path: Path
    scope: str = "effort"

    def items(self) -> list[ChecklistItem]:
        """Every item, in order, across sections."""
        return [item for section in self.sections for item in section.items]


def load_checklist(path: Path) -> Checklist:
    """Read and validate one checklist template."""
    table = Table(path, load_toml(path))
    version = table.get("format_version", int)
    if version != FORMAT_VERSION:
        raise table.fail("format_version", f"must be {FORMAT_VERSION}, found {version}")
    checklist_id = table.text("id")
    if not ID_PATTERN.match(checklist_id) or checklist_id != path.stem:
        raise table.fail("id", f"{checklist_id!r} must be a-z0-9- and match the file name")
    title = table.text("title")
    description = table.text("description")
    scope = table.text("scope", "effort")
    if scope not in SCOPES:
        raise table.fail("scope", f"must be one of {', '.join(SCOPES)}, found {scope!r}")
    sections = tuple(_section(t) for t in table.tables("sections"))
    if not sections:
        raise table.fail("sections", "must hold at least one section")
    seen: set[str] = set()
    for section in sections:
        for item in section.items:
            if item.id in seen:
                raise table.fail("sections", f"item id {item.id!r} is used twice")
            seen.add(item.id)
    table.finish()
    return Checklist(checklist_id, title, description, sections, path, scope)


def _section(table: Table) -> ChecklistSection:
    section_id = table.text("id")
    if not ID_PATTERN.match(section_id):
        raise table.fail("id", f"{section_id!r} must use only a-z, 0-9 and single dashes")
    title = table.text("title")
    items = tuple(_item(t) for t in table.tables("items"))
    if not items:
        raise table.fail("items", "must hold at least one item")
    table.finish()
    return ChecklistSection(section_id, title, items)


def _item(table: Table) -> ChecklistItem:
    item_id = table.text("id")
    if not ID_PATTERN.match(item_id):
        raise table.fail("id", f"{item_id!r} must use only a-z, 0-9 and single dashes")
    item = ChecklistItem(
        item_id,
        table.text("text"),
        table.text("why"),
        tuple(table.strings("teaches", [])),
        tuple(table.strings("proven_by", [])),
    )
    table.finish()
    return item
