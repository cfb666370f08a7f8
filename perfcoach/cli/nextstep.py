"""`perfcoach next`: go to the first unfinished item of the path, as rustlings does."""

from __future__ import annotations

from perfcoach.cli import common


def next_item() -> None:
    """Go to the first unfinished item in path order: read the next lesson, or start the next lab.

    An item is unfinished while its lesson is unread or its lab is not passed (quizzes never
    hold you back). A lesson is shown and marked read; a lab is started (your edits are
    kept) and becomes the current lab, so 'perfcoach lab check' needs no id.
    """
    from perfcoach.cli import lab, lesson
    from perfcoach.coach import next_step
    from perfcoach.console import console

    pack = common.pack()
    with common.store() as db:
        step = next_step(db, pack)
    out = console()
    if step is None:
        out.print("every lesson read and every lab passed: the path is done", markup=False)
        return
    if step.kind == "lab":
        lab.start_in(pack, step.id)
        return
    lesson.show(step.id)  # marks it read, and says so if that finished a level
    with common.store() as db:
        after = next_step(db, pack)
    if after is not None:
        out.print(f"then: {after.kind} {after.id} ({after.title}): perfcoach next", markup=False)
