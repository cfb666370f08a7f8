"""Checklist templates combined with what was done: ticks, notes, evidence and lab passes.

Effort-scoped checklists (pre, optimization, post, …) are ticked per effort; the
learner-scoped mastery checklist is ticked once, and an item that names the labs proving
it ticks itself when all of them are passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfcoach.errors import UsageError

if TYPE_CHECKING:
    from perfcoach.catalog import Checklist, ChecklistItem, ChecklistSection, Pack
    from perfcoach.store import Store, Tick

AUTO_NOTE_PREFIX = "measured by perfcoach"  # the note on items a measurement ticked


@dataclass(frozen=True)
class ItemState:
    """One item as the user sees it: done or not, by whom, with notes and evidence."""

    item: ChecklistItem
    ticked: bool
    by: str  # "you", "perfcoach" (a measurement ticked it), "labs" or "" when open
    note: str
    evidence: tuple[str, ...]  # measurement uids
    labs_passed: tuple[str, ...]
    labs_remaining: tuple[str, ...]


@dataclass(frozen=True)
class SectionState:
    """A section of a checklist with the state of each item."""

    section: ChecklistSection
    items: tuple[ItemState, ...]


@dataclass(frozen=True)
class ChecklistState:
    """A whole checklist for one effort (or for the learner), with its progress count."""

    checklist: Checklist
    effort_id: str | None
    sections: tuple[SectionState, ...]

    @property
    def done(self) -> int:
        """Items ticked."""
        return sum(state.ticked for section in self.sections for state in section.items)

    @property
    def total(self) -> int:
        """Items in the checklist."""
        return sum(len(section.items) for section in self.sections)

    def items(self) -> list[ItemState]:
        """Every item state, in template order."""
        return [state for section in self.sections for state in section.items]


def template(pack: Pack, checklist_id: str) -> Checklist:
    """The checklist called checklist_id, or a usage error listing the templates."""
    try:
        return pack.checklists[checklist_id]
    except KeyError:
        known = ", ".join(sorted(pack.checklists)) or "none"
        raise UsageError(f"unknown checklist '{checklist_id}' (checklists: {known})") from None


def item(checklist: Checklist, item_id: str) -> ChecklistItem:
    """The item called item_id, or a usage error listing the checklist's item ids."""
    for candidate in checklist.items():
        if candidate.id == item_id:
            return candidate
    known = ", ".join(i.id for i in checklist.items())
    raise UsageError(f"checklist '{checklist.id}' has no item '{item_id}' (items: {known})")


def owner(checklist: Checklist, effort_id: str | None, store: Store) -> str:
    """The effort_id ticks are stored under: the effort, or LEARNER for mastery-like lists."""
    from perfcoach.store import LEARNER, Efforts

    if checklist.scope == "learner":
        if effort_id is not None:
            raise UsageError(
                f"checklist '{checklist.id}' is yours, not an effort's: leave out --effort"
            )
        return LEARNER
    if effort_id is None:
        raise UsageError(
            f"checklist '{checklist.id}' is ticked per effort: add --effort ID "
            "(see 'perfcoach effort list')"
        )
    return Efforts(store).get(effort_id).id


def checklist_state(
    store: Store, pack: Pack, checklist_id: str, effort_id: str | None
) -> ChecklistState:
    """The template with ticks, notes, evidence and (for proven items) lab passes."""
    from perfcoach.store import Efforts

    checklist = template(pack, checklist_id)
    key = owner(checklist, effort_id, store)
    efforts = Efforts(store)
    ticks = efforts.ticks(key)
    evidence: dict[str, list[str]] = {}
    if checklist.scope == "effort":
        for link in efforts.evidence(key):
            if link.checklist_id == checklist.id:
                evidence.setdefault(link.item_id, []).append(link.measurement_uid)
    passed = (
        {lab for lab, p in store.all_progress().items() if p.status == "passed"}
        if checklist.scope == "learner"
        else set()
    )
    sections = tuple(
        SectionState(
            section,
            tuple(
                _state(i, ticks.get((checklist.id, i.id)), evidence.get(i.id, []), passed)
                for i in section.items
            ),
        )
        for section in checklist.sections
    )
    return ChecklistState(checklist, effort_id, sections)


def _state(
    item: ChecklistItem, tick: Tick | None, evidence: list[str], passed: set[str]
) -> ItemState:
    """Who ticked an item decides how it is shown: by you, by a measurement, or by labs."""
    labs_passed = tuple(lab for lab in item.proven_by if lab in passed)
    remaining = tuple(lab for lab in item.proven_by if lab not in passed)
    if tick is not None and tick.ticked:
        by = "perfcoach" if evidence and tick.note.startswith(AUTO_NOTE_PREFIX) else "you"
    elif item.proven_by and not remaining:
        by = "labs"
    else:
        by = ""
    return ItemState(
        item=item,
        ticked=bool(by),
        by=by,
        note=tick.note if tick else "",
        evidence=tuple(evidence),
        labs_passed=labs_passed,
        labs_remaining=remaining,
    )


def set_tick(
    store: Store,
    pack: Pack,
    checklist_id: str,
    item_id: str,
    effort_id: str | None,
    ticked: bool,
    note: str | None,
) -> Tick:
    """Tick or untick one item after checking the checklist, item and effort exist."""
    from perfcoach.store import Efforts

    checklist = template(pack, checklist_id)
    item(checklist, item_id)
    key = owner(checklist, effort_id, store)
    if note is not None:
        note = " ".join(note.split())
    return Efforts(store).set_tick(key, checklist.id, item_id, ticked, note)


def effort_checklists(pack: Pack) -> list[Checklist]:
    """The templates an effort is ticked against, in the order work happens."""
    order = {"pre": 0, "optimization": 1, "post": 2}
    scoped = [c for c in pack.checklists.values() if c.scope == "effort"]
    return sorted(scoped, key=lambda c: (order.get(c.id, len(order)), c.id))
