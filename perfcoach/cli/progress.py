"""`perfcoach progress`: where you are on the mastery path."""

from __future__ import annotations

from perfcoach.cli import common


def show() -> None:
    """Labs passed per level, attempts, hints and time spent."""
    from rich.table import Table

    from perfcoach.catalog import LEVELS
    from perfcoach.console import console

    pack = common.pack()
    with common.store() as db:
        progress = db.all_progress()
        totals = db.totals()
        lessons_read = db.lessons_read()
    out = console()
    table = Table(title="mastery path", title_justify="left", expand=False)
    for col in ("level", "labs passed", "lessons read", "next lab"):
        table.add_column(col)
    for level, name in LEVELS.items():
        labs = [lab for lab in pack.ordered_labs() if lab.level == level]
        lessons = [lesson for lesson in pack.lessons.values() if lesson.level == level]
        if not labs and not lessons:
            table.add_row(f"{level} {name}", "—", "—", "[dim]coming soon[/]")
            continue
        passed = [lab for lab in labs if (p := progress.get(lab.id)) and p.status == "passed"]
        todo = [lab for lab in labs if lab not in passed]
        read = sum(1 for lesson in lessons if lesson.id in lessons_read)
        table.add_row(
            f"{level} {name}",
            f"{len(passed)}/{len(labs)}",
            f"{read}/{len(lessons)}",
            todo[0].id if todo else "[green]done[/]",
        )
    out.print(table)
    minutes = totals.get("time_spent_s", 0) / 60
    out.print(
        f"attempts {totals.get('attempts', 0)} · labs passed {totals.get('labs_passed', 0)}"
        f"/{len(pack.labs)} · hints revealed {totals.get('hints_revealed', 0)} · "
        f"checking time {minutes:.1f} min"
    )
    upcoming = [
        lab
        for lab in pack.ordered_labs()
        if not ((p := progress.get(lab.id)) and p.status == "passed")
    ]
    if upcoming:
        out.print(f"next: perfcoach lab start {upcoming[0].id}", markup=False)
