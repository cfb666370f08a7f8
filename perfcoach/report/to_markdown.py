"""The effort report as Markdown, laid out to paste into a pull request or a design doc."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from perfcoach.report.model import (
    LOAD_COLUMNS,
    EffortReport,
    change,
    figure_rows,
    format_figure,
    goal_result,
    goal_text,
    load_rows,
    load_summary,
    speedup_text,
)

if TYPE_CHECKING:
    from perfcoach.efforts import ChecklistState, ItemState
    from perfcoach.measure.figures import CommandFiguresData, EnvironmentData, LoadRunData
    from perfcoach.store import Measurement


# The characters that mean something mid-line (emphasis, code, links, images, HTML, entities,
# headings, table pipes, strikethrough, math); a backslash makes each one literal.
_ACTIVE = re.compile(r"([\\`*_\[\]<>|#!&~$])")


def _inline(text: str) -> str:
    """User text on one line with every Markdown-active character backslash-escaped.

    Renderers show it as typed (no tags, links, entities or table cells) and the raw text
    stays readable: `<b>` becomes `\\<b\\>`, not `&lt;b&gt;`.
    """
    return _ACTIVE.sub(r"\\\1", " ".join(text.split()))


def _plain(text: str) -> str:
    """Text inside a code span: shown literally by every renderer, so only made one line."""
    return " ".join(text.split())


def _code(text: str) -> str:
    """A command in inline code, fenced with enough backticks to hold any it contains."""
    longest = 0
    current = 0
    for char in text:
        current = current + 1 if char == "`" else 0
        longest = max(longest, current)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{_plain(text)}{pad}{fence}"


def to_markdown(report: EffortReport) -> str:
    """Goal, before/after, every measurement, every checklist with ticks and notes."""
    effort = report.effort
    lines = [
        f"# Effort: {effort.id}",
        "",
        f"- **Goal:** {_inline(goal_text(effort.goal, report.goal))}",
        f"- **Created:** {effort.created.isoformat()}",
        f"- **Report:** generated {report.generated.isoformat()} by perfcoach "
        f"{report.perfcoach_version}",
        "",
    ]
    lines += _before_after(report.latest_comparison)
    lines += _under_load(report.latest_load)
    lines += ["## Measurements", ""]
    if not report.measurements:
        lines += ["No measurements yet: `perfcoach baseline EFFORT -- CMD`.", ""]
    for measurement in report.measurements:
        lines += _measurement(measurement)
    lines += ["## Checklists", ""]
    for state in report.checklists:
        lines += _checklist(state)
    return "\n".join(lines).rstrip() + "\n"


def to_markdown_summary(report: EffortReport) -> str:
    """The short form for a pull request: goal and verdict, before/after with the ratio,
    the ticked items with their notes, and where it was measured; no untouched checklists."""
    effort, latest = report.effort, report.latest_comparison
    check = latest.figures["goal"] if latest is not None else None
    verdict = goal_result(check) if check else "not checked by a comparison yet"
    lines = [
        f"# Effort: {effort.id}",
        "",
        f"- **Goal:** {_inline(goal_text(effort.goal, report.goal))}",
        f"- **Verdict:** {_inline(verdict)}",
        "",
    ]
    lines += _before_after(latest)
    ticked = [
        (state.checklist.id, item)
        for state in report.checklists
        for section in state.sections
        for item in section.items
        if item.ticked
    ]
    lines += ["## Done", ""]
    lines += [_item(item, checklist_id) for checklist_id, item in ticked] or ["Nothing ticked yet."]
    lines += ["", "## Environment", ""]
    measured = latest or (report.measurements[-1] if report.measurements else None)
    lines.append(_environment(measured.figures["env"]) if measured else "No measurements yet.")
    return "\n".join(lines).rstrip() + "\n"


def _environment(env: EnvironmentData) -> str:
    """Python version, OS, CPU count, 1-minute load and commit, each 'unknown' when missing
    (measurements imported from older files may lack some)."""

    def known(value: object) -> str:
        """The value as text, or 'unknown' when it was not recorded."""
        return "unknown" if value is None else _inline(str(value))

    return (
        f"Python {known(env.get('python'))} · {known(env.get('platform'))} · "
        f"{known(env.get('cpus'))} CPUs · load (1 min) {known(env.get('load_1m'))} · "
        f"commit {known(env.get('git_commit'))}"
    )


def _before_after(latest: Measurement | None) -> list[str]:
    """The latest comparison as a medians table, the speedup and the goal."""
    if latest is None or "measured" not in latest.figures:
        return [
            "## Before / after",
            "",
            "No comparison yet: `perfcoach compare EFFORT -- CMD`.",
            "",
        ]
    figures = latest.figures
    before, after, speedup = figures["against"], figures["measured"], figures["speedup"]
    assert before is not None and speedup is not None  # a compare or ab stores both
    lines = [
        "## Before / after",
        "",
        f"Before: {_code(before['command'])} · after: {_code(after['command'])} · "
        f"{latest.runs} runs each ({latest.kind}, {latest.taken.isoformat()})",
        "",
        "| figure | before (median) | after (median) | change |",
        "|---|---:|---:|---|",
    ]
    for key, label, (b_s, a_s) in figure_rows(before, after):
        b, a = b_s["median"], a_s["median"]
        lines.append(
            f"| {label} | {format_figure(key, b)} | {format_figure(key, a)} | {change(key, b, a)} |"
        )
    lines += ["", f"- **Speedup (wall):** {speedup_text(speedup)}"]
    if figures["goal"]:
        lines.append(f"- **Goal:** {_inline(goal_result(figures['goal']))}")
    return [*lines, ""]


def _under_load(latest: Measurement | None) -> list[str]:
    """The latest load run's table, when there is one."""
    if latest is None or "load" not in latest.figures:
        return []
    load = latest.figures["load"]
    lines = [
        "## Under load",
        "",
        f"{_inline(load_summary(load))} ({latest.taken.isoformat()}).",
        "",
    ]
    lines += _load_table(load)
    if latest.figures["goal"]:
        lines.append(f"- **Goal under load:** {_inline(goal_result(latest.figures['goal']))}")
    return [*lines, ""]


def _load_table(load: LoadRunData) -> list[str]:
    """Requests, failures, rate and latency percentiles, overall and per request name."""
    lines = [
        "| " + " | ".join(LOAD_COLUMNS) + " |",
        "|---|" + "---:|" * (len(LOAD_COLUMNS) - 1),
    ]
    for row in load_rows(load):
        lines.append("| " + " | ".join([_code(row[0]), *row[1:]]) + " |")
    return [*lines, ""]


def _measurement(m: Measurement) -> list[str]:
    """One measurement: what ran, its figures, speedup, goal and environment."""
    figures = m.figures
    title = f"### {m.kind} · {m.taken.isoformat()} · `{m.uid[:8]}`"
    lines = [title, ""]
    if "load" in figures:
        load = figures["load"]
        lines += [f"Locust: {_code(m.command)}.", "", f"{_inline(load_summary(load))}.", ""]
        lines += _load_table(load)
        lines.append(f"- Locust's own CSV and HTML files: {_code(load['output_dir'])}")
    elif m.vs_command:
        lines.append(f"Interleaved A/B: before {_code(m.vs_command)}, after {_code(m.command)}.")
    else:
        lines.append(f"Command: {_code(m.command)}, {m.runs} runs.")
    if "measured" in figures:
        lines.append("")
        lines += _figure_table(figures["measured"], "after" if m.vs_command else "")
        against, speedup = figures["against"], figures["speedup"]
        if m.vs_command and against is not None:
            lines += _figure_table(against, "before")
        if speedup:
            lines.append(f"- Speedup (wall): {speedup_text(speedup)}")
    if figures.get("goal"):
        lines.append(f"- Goal: {_inline(goal_result(figures['goal']))}")
    env = {key: value for key, value in (figures.get("env") or {}).items() if value is not None}
    if env:
        lines.append(
            "- Environment: " + ", ".join(f"{key} {_inline(str(v))}" for key, v in env.items())
        )
    return [*lines, ""]


def _figure_table(measured: CommandFiguresData, label: str) -> list[str]:
    """median, interval, min and max of each figure of one command."""
    head = f"| figure{f' ({label})' if label else ''} | median | 95 % interval | min | max |"
    lines = [head, "|---|---:|---:|---:|---:|"]
    for key, name, (s,) in figure_rows(measured):
        lines.append(
            f"| {name} | {format_figure(key, s['median'])} | "
            f"{format_figure(key, s['low'])}–{format_figure(key, s['high'])} | "
            f"{format_figure(key, s['min'])} | {format_figure(key, s['max'])} |"
        )
    return [*lines, ""]


def _checklist(state: ChecklistState) -> list[str]:
    """A checklist's sections as task lists a PR renders as checkboxes."""
    checklist = state.checklist
    lines = [f"### {checklist.title} (`{checklist.id}`): {state.done}/{state.total} done", ""]
    for section in state.sections:
        lines += [f"#### {section.section.title}", ""]
        lines += [_item(item_state) for item_state in section.items]
        lines.append("")
    return lines


def _item(state: ItemState, checklist_id: str = "") -> str:
    """One task-list line: mark, text, id (with its checklist when given), labs, note and
    evidence."""
    box = "x" if state.ticked else " "
    where = f"{checklist_id}/" if checklist_id else ""
    text = f"- [{box}] **{_inline(state.item.text)}** (`{where}{state.item.id}`)"
    if state.by == "labs":
        text += f" — proven by labs: {', '.join(state.labs_passed)}"
    elif state.labs_remaining:
        text += f" — labs remaining: {', '.join(state.labs_remaining)}"
    if state.note:
        text += f" — {_inline(state.note)}"
    if state.evidence:
        text += f" — evidence: {', '.join(f'`{uid[:8]}`' for uid in state.evidence)}"
    return text
