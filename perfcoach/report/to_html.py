"""The effort report as one self-contained HTML page; every piece of text is escaped."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING

from perfcoach.measure.figures import SUMMARY_PARTS
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
from perfcoach.report.svg import distribution_svg

if TYPE_CHECKING:
    from perfcoach.efforts import ChecklistState, ItemState
    from perfcoach.measure.figures import CommandFiguresData, EnvironmentData, LoadRunData
    from perfcoach.store import Measurement

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { background: #f3f3f3; padding: 0 .2rem; }
li.done { color: #1a6e1a; } .why, .meta { color: #666; }
ul { list-style: none; padding-left: 1rem; }
figure { margin: .5rem 0 1rem; } figcaption { font-weight: 600; }
svg.dist { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
"""


def to_html(report: EffortReport) -> str:
    """A complete page: goal, before/after, measurements, checklists."""
    effort = report.effort
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Effort: {escape(effort.id)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Effort: {escape(effort.id)}</h1>",
        f"<p><strong>Goal:</strong> {escape(goal_text(effort.goal, report.goal))}</p>",
        f'<p class="meta">created {escape(effort.created.isoformat())} · report generated '
        f"{escape(report.generated.isoformat())} by perfcoach "
        f"{escape(report.perfcoach_version)}</p>",
        "<h2>Before / after</h2>",
        _before_after(report.latest_comparison),
        _under_load(report.latest_load),
        "<h2>Measurements</h2>",
    ]
    if not report.measurements:
        parts.append("<p>No measurements yet.</p>")
    parts += [_measurement(m) for m in report.measurements]
    parts.append("<h2>Checklists</h2>")
    parts += [_checklist(state) for state in report.checklists]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _before_after(latest: Measurement | None) -> str:
    """The latest comparison as a medians table, the speedup and the goal."""
    if latest is None or "measured" not in latest.figures:
        return "<p>No comparison yet.</p>"
    figures = latest.figures
    before, after, speedup = figures["against"], figures["measured"], figures["speedup"]
    assert before is not None and speedup is not None  # a compare or ab stores both
    rows = "".join(
        f"<tr><td>{escape(label)}</td>"
        f'<td class="n">{escape(format_figure(key, b["median"]))}</td>'
        f'<td class="n">{escape(format_figure(key, a["median"]))}</td>'
        f"<td>{escape(change(key, b['median'], a['median']))}</td></tr>"
        for key, label, (b, a) in figure_rows(before, after)
    )
    goal = figures.get("goal")
    return (
        f"<p>before <code>{escape(before['command'])}</code> · after "
        f"<code>{escape(after['command'])}</code> · {latest.runs} runs each</p>"
        "<table><tr><th>figure</th><th>before (median)</th><th>after (median)</th>"
        f"<th>change</th></tr>{rows}</table>"
        f"<p><strong>Speedup (wall):</strong> {escape(speedup_text(speedup))}</p>"
        + (f"<p><strong>Goal:</strong> {escape(goal_result(goal))}</p>" if goal else "")
        + _distributions(before, after)
    )


def _distributions(before: CommandFiguresData, after: CommandFiguresData) -> str:
    """Every run of each figure both sides measured, before above after on one axis."""
    charts = []
    for key, label, _ in figure_rows(before, after):
        sides = [
            (name, [float(v) for v in (run[key] for run in side["samples"]) if v is not None])
            for name, side in (("before", before), ("after", after))
        ]
        if all(runs for _, runs in sides):
            chart = distribution_svg(f"dist-{key}", label, sides, partial(format_figure, key))
            charts.append(f"<figure><figcaption>{escape(label)}</figcaption>{chart}</figure>")
    if not charts:
        return ""
    return "<h3>Every run, before and after</h3>" + "".join(charts)


def _under_load(latest: Measurement | None) -> str:
    """The latest load run's table, when there is one."""
    if latest is None or "load" not in latest.figures:
        return ""
    load, goal = latest.figures["load"], latest.figures["goal"]
    return (
        f"<h2>Under load</h2><p>{escape(load_summary(load))} "
        f"({escape(latest.taken.isoformat())})</p>{_load_table(load)}"
        + (f"<p><strong>Goal under load:</strong> {escape(goal_result(goal))}</p>" if goal else "")
    )


def _load_table(load: LoadRunData) -> str:
    """Requests, failures, rate and latency percentiles, overall and per request name."""
    head = "".join(f"<th>{escape(col)}</th>" for col in LOAD_COLUMNS)
    rows = "".join(
        f"<tr><td><code>{escape(row[0])}</code></td>"
        + "".join(f'<td class="n">{escape(cell)}</td>' for cell in row[1:])
        + "</tr>"
        for row in load_rows(load)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _measurement(m: Measurement) -> str:
    """One measurement: what ran, its figures, speedup, goal and environment."""
    figures = m.figures
    if "load" in figures:
        load = figures["load"]
        parts = [
            f"<h3>load · {escape(m.taken.isoformat())} · {escape(m.uid[:8])}</h3>",
            f"<p>Locust: <code>{escape(m.command)}</code></p>",
            f"<p>{escape(load_summary(load))}</p>",
            _load_table(load),
            f"<p>Locust's own CSV and HTML files: <code>{escape(load['output_dir'])}</code></p>",
        ]
        if figures["goal"]:
            parts.append(f"<p>Goal: {escape(goal_result(figures['goal']))}</p>")
        return "\n".join(parts + _environment(figures["env"]))
    what = (
        f"interleaved A/B: before <code>{escape(m.vs_command)}</code>, after "
        f"<code>{escape(m.command)}</code>"
        if m.vs_command
        else f"<code>{escape(m.command)}</code>"
    )
    parts = [
        f"<h3>{escape(m.kind)} · {escape(m.taken.isoformat())} · {escape(m.uid[:8])}</h3>",
        f"<p>{what}, {m.runs} runs</p>",
        _figure_table(figures["measured"], "after" if m.vs_command else ""),
    ]
    against, speedup = figures["against"], figures["speedup"]
    if m.vs_command and against is not None:
        parts.append(_figure_table(against, "before"))
    if speedup:
        parts.append(f"<p>Speedup (wall): {escape(speedup_text(speedup))}</p>")
    if figures.get("goal"):
        parts.append(f"<p>Goal: {escape(goal_result(figures['goal']))}</p>")
    return "\n".join(parts + _environment(figures.get("env")))


def _environment(env: EnvironmentData | None) -> list[str]:
    """Where the figures were taken, as one line (nothing when it was not recorded)."""
    known = {key: value for key, value in (env or {}).items() if value is not None}
    if not known:
        return []
    text = ", ".join(f"{key} {value}" for key, value in known.items())
    return [f'<p class="meta">environment: {escape(text)}</p>']


def _figure_table(measured: CommandFiguresData, label: str) -> str:
    """median, interval, min and max of each figure of one command."""
    head = f"figure ({label})" if label else "figure"
    rows = "".join(
        f"<tr><td>{escape(name)}</td>"
        + "".join(
            f'<td class="n">{escape(format_figure(key, s[part]))}</td>' for part in SUMMARY_PARTS
        )
        + "</tr>"
        for key, name, (s,) in figure_rows(measured)
    )
    return (
        f"<table><tr><th>{escape(head)}</th><th>median</th><th>95 % low</th><th>95 % high</th>"
        f"<th>min</th><th>max</th></tr>{rows}</table>"
    )


def _checklist(state: ChecklistState) -> str:
    """A checklist's sections as lists of items."""
    c = state.checklist
    parts = [f"<h3>{escape(c.title)} ({escape(c.id)}): {state.done}/{state.total} done</h3>"]
    for section in state.sections:
        parts.append(f"<h4>{escape(section.section.title)}</h4><ul>")
        parts += [_item(s) for s in section.items]
        parts.append("</ul>")
    return "\n".join(parts)


def _item(state: ItemState) -> str:
    """One item with its mark, why, note, evidence and labs."""
    mark = "☑" if state.ticked else "☐"
    extra = []
    if state.by == "labs":
        extra.append(f"proven by labs: {', '.join(state.labs_passed)}")
    elif state.labs_remaining:
        extra.append(f"labs remaining: {', '.join(state.labs_remaining)}")
    if state.note:
        extra.append(f"note: {state.note}")
    if state.evidence:
        extra.append(f"evidence: {', '.join(uid[:8] for uid in state.evidence)}")
    details = "".join(f"<br><span class='meta'>{escape(text)}</span>" for text in extra)
    return (
        f'<li class="{"done" if state.ticked else "open"}">{mark} {escape(state.item.text)} '
        f"<code>{escape(state.item.id)}</code><br><span class='why'>{escape(state.item.why)}"
        f"</span>{details}</li>"
    )
