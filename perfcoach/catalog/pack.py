"""A content pack: every lab, lesson and checklist under one root, validated together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfcoach.catalog.checklist import Checklist, load_checklist
from perfcoach.catalog.errors import CatalogError, PackInvalid
from perfcoach.catalog.lab import Lab, load_lab
from perfcoach.catalog.lesson import Lesson, load_lesson
from perfcoach.errors import UsageError


@dataclass
class Pack:
    """Everything a pack holds, keyed by id, plus the problems found while reading it."""

    root: Path
    labs: dict[str, Lab] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    problems: list[CatalogError] = field(default_factory=list)

    def lab(self, lab_id: str) -> Lab:
        """The lab called lab_id, or a usage error listing the ones that exist."""
        try:
            return self.labs[lab_id]
        except KeyError:
            known = ", ".join(sorted(self.labs)) or "none"
            raise UsageError(f"unknown lab '{lab_id}' (labs: {known})") from None

    def ordered_labs(self) -> list[Lab]:
        """Labs in learning order: by level, their module's place in it, then the lab's order."""

        def place(lab: Lab) -> tuple[int, int, str, int, str]:
            lesson = self.lessons.get(lab.module)
            return (lab.level, lesson.order if lesson else 100, lab.module, lab.order, lab.id)

        return sorted(self.labs.values(), key=place)

    def ordered_lessons(self) -> list[Lesson]:
        """Lessons in path order: by level, then by their place in it, then by id."""
        return sorted(self.lessons.values(), key=lambda item: (item.level, item.order, item.id))


def read_pack(root: Path) -> Pack:
    """Read a pack, collecting every problem instead of stopping at the first."""
    pack = Pack(root)
    if not (root / "labs").is_dir():
        pack.problems.append(CatalogError(root, "has no labs/ folder: not a content pack"))
        return pack
    for folder in sorted(p for p in (root / "labs").iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        try:
            lab = load_lab(folder)
        except CatalogError as exc:
            pack.problems.append(exc)
            continue
        pack.labs[lab.id] = lab
    for path in sorted((root / "content").glob("*/*.md")):
        try:
            lesson = load_lesson(path)
        except CatalogError as exc:
            pack.problems.append(exc)
            continue
        if lesson.id in pack.lessons:
            pack.problems.append(CatalogError(path, "duplicates another lesson's id", "id"))
            continue
        pack.lessons[lesson.id] = lesson
    for path in sorted((root / "checklists").glob("*.toml")):
        try:
            checklist = load_checklist(path)
        except CatalogError as exc:
            pack.problems.append(exc)
            continue
        pack.checklists[checklist.id] = checklist
    _cross_check(pack)
    return pack


def _cross_check(pack: Pack) -> None:
    """References between parts must resolve: a lab's module, a checklist's links and the
    labs that prove an item."""
    for lab in pack.labs.values():
        if lab.module not in pack.lessons:
            pack.problems.append(
                CatalogError(
                    lab.root / "lab.toml",
                    f"names module {lab.module!r} but no "
                    "content/<level>/<module>.md lesson has that id",
                    "module",
                )
            )
    places: dict[tuple[str, int], str] = {}
    for lab in sorted(pack.labs.values(), key=lambda x: x.id):
        other = places.setdefault((lab.module, lab.order), lab.id)
        if other != lab.id:
            pack.problems.append(
                CatalogError(
                    lab.root / "lab.toml",
                    f"has order {lab.order}, like {other!r} in module {lab.module!r}: "
                    "give each lab of a module its own order",
                    "order",
                )
            )
    known = set(pack.labs) | set(pack.lessons)
    # A lab whose manifest failed to load is reported already; naming it is not a second error.
    lab_folders = set(pack.labs) | {p.name for p in (pack.root / "labs").iterdir() if p.is_dir()}
    for checklist in pack.checklists.values():
        for item in checklist.items():
            for ref in item.teaches:
                if ref not in known:
                    pack.problems.append(
                        CatalogError(
                            checklist.path,
                            f"item {item.id!r} links to unknown lab or lesson {ref!r}",
                            "teaches",
                        )
                    )
            for ref in item.proven_by:
                if ref not in lab_folders:
                    pack.problems.append(
                        CatalogError(
                            checklist.path,
                            f"item {item.id!r} is proven by unknown lab {ref!r}",
                            "proven_by",
                        )
                    )


def load_pack(root: Path | None = None) -> Pack:
    """Read a pack and refuse it if anything is wrong; defaults to the built-in pack."""
    from perfcoach.paths import builtin_pack_root

    pack = read_pack(root or builtin_pack_root())
    if pack.problems:
        raise PackInvalid(pack.root, pack.problems)
    return pack
