"""The one place outside the faces that knows rich: consoles and the renderings both faces share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from perfcoach.numbers import number
from perfcoach.safetext import inert
from perfcoach.verdict import Verdict

if TYPE_CHECKING:
    from rich.console import Console

    from perfcoach.catalog.lab import MetricSpec
    from perfcoach.measure.profilers import Profile
    from perfcoach.runner import CheckResult, MetricRow


def console(stderr: bool = False) -> Console:
    """A console for CLI output; rich reads NO_COLOR, TERM and COLUMNS itself."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


CHART_WIDTH = 100  # a latency chart wider than this only stretches its bars

VERDICT_STYLE: dict[str, str] = {
    Verdict.PASS: "bold green",
    Verdict.FAIL: "bold red",
    Verdict.INCONCLUSIVE: "bold yellow",
    Verdict.TIMEOUT: "bold red",
    Verdict.ERROR: "bold red",
    Verdict.OOM: "bold red",
    Verdict.MISSING: "yellow",
    Verdict.UNTRUSTED: "bold red",
    Verdict.UNMEASURED: "dim",
}
VERDICT_WORD: dict[str, str] = {
    Verdict.UNMEASURED: "not measured",
    Verdict.UNTRUSTED: "not trusted",
}


def verdict_text(verdict: str) -> str:
    """A verdict word in its colour, upper-case so it reads without colour too."""
    word = VERDICT_WORD.get(verdict, verdict).upper()
    return f"[{VERDICT_STYLE.get(verdict, 'bold')}]{word}[/]"


def metric_value(row: MetricRow, value: float | None) -> str:
    """A metric's number as shown in a verdict table (speedups with ×)."""
    text = number(value)
    if value is not None and not row.deterministic and row.name.endswith("speedup"):
        text += "×"
    return text


def metric_yours(row: MetricRow) -> str:
    """The learner's value, with its interval when it was timed."""
    text = metric_value(row, row.value)
    if row.low is not None and row.high is not None and not row.deterministic:
        text += f" ({number(row.low)}–{number(row.high)})"
    return text


def check_table(result: CheckResult) -> Any:
    """metric / baseline / yours / target / verdict, one row per manifest metric."""
    from rich.table import Table

    table = Table(
        title=f"{result.lab_id}: {verdict_text(result.verdict)}", title_justify="left", expand=False
    )
    table.add_column("metric", overflow="fold")
    table.add_column("baseline", justify="right")
    table.add_column("yours", justify="right", overflow="fold")
    table.add_column("target", overflow="fold")
    table.add_column("verdict")
    for row in result.metrics:
        kind = "" if row.deterministic else " (timed)"
        table.add_row(
            f"{row.title}{kind}",
            metric_value(row, row.baseline),
            metric_yours(row),
            row.target,
            verdict_text(row.verdict),
        )
    return table


def print_check(out: Console, result: CheckResult, next_step: str) -> None:
    """The whole verdict: table, what went wrong, what the code printed, what to do next.

    Message, details, notes and output can quote learner text: inert, and never markup.
    """
    from rich.text import Text

    if result.metrics:
        out.print(check_table(result))
    else:
        out.print(f"{result.lab_id}: {verdict_text(result.verdict)}")
    out.print(Text.from_markup(verdict_text(result.verdict)), Text(inert(result.message)))
    for line in result.detail_lines():
        out.print(Text(f"  • {inert(line)}"))
    for title, lines in result.latency_charts(min(out.width, CHART_WIDTH) - 2):
        out.print(Text(f"{title}:"))
        for line in lines:
            out.print(Text(f"  {line}"))
    for note in result.notes:
        if note.strip():
            style = "" if result.verdict is Verdict.ERROR else "dim"
            out.print(Text(inert(note.rstrip()), style=style))
    if result.output_bytes:
        out.print(f"your code printed {result.output_bytes:,} bytes:", style="dim")
        out.print(Text(inert(result.output.rstrip()[-2000:]), style="dim"))
    out.print(
        f"seed {result.seed} · {result.duration_s:.1f}s · code {result.code_hash}", style="dim"
    )
    if next_step:
        out.print(next_step, markup=False)


def profile_table(profile: Profile) -> Any:
    """Rows from a profiler adapter as a table, learner code highlighted.

    Code and names go in as inert Text, never as markup: `counts[i]` must not lose its `[i]`.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(expand=False)
    if profile["kind"] == "cprofile":
        table.title = (
            f"cProfile: {profile['total_calls']:,} calls, "
            f"{profile['total_s']:.3f}s (top by own time)"
        )
        for col, justify in (
            ("function", "left"),
            ("where", "left"),
            ("calls", "right"),
            ("own s", "right"),
            ("cumulative s", "right"),
        ):
            table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for r in profile["rows"]:
            style = "bold" if r["learner"] else "dim"
            table.add_row(
                Text(inert(r["function"])),
                Text(inert(r["where"])),
                f"{r['ncalls']:,}",
                f"{r['tottime_s']:.4f}",
                f"{r['cumtime_s']:.4f}",
                style=style,
            )
    elif profile["kind"] == "scalene":
        table.title = f"scalene: busiest lines of your code ({profile['elapsed_s']:.2f}s run)"
        for col, justify in (
            ("where", "left"),
            ("python %", "right"),
            ("native %", "right"),
            ("code", "left"),
        ):
            table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for line in profile["rows"]:
            table.add_row(
                Text(inert(line["where"])),
                f"{line['python_percent']:.1f}",
                f"{line['native_percent']:.1f}",
                Text(inert(line["code"])),
            )
        if not profile["rows"]:
            table.expand = True  # the caption wraps at the table's width
            table.caption = (
                "scalene took no CPU samples in your code this run (it samples every 10 ms"
                " of CPU: a short workload or a busy machine can leave none); run it again,"
                " or use --with cprofile"
            )
    else:
        table.title = (
            f"memory: peak RSS {profile['peak_rss_mib']:.1f} MiB "
            f"({profile.get('rss_source', 'memory-profiler')}, untraced run), "
            f"traced peak {profile['tracemalloc_peak_bytes'] / 1024:,.0f} KiB "
            "(tracemalloc)"
        )
        for col, justify in (
            ("where", "left"),
            ("KiB", "right"),
            ("blocks", "right"),
            ("code", "left"),
        ):
            table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for site in profile["rows"]:
            style = "bold" if site["learner"] else "dim"
            size = f"{site['size_bytes'] / 1024:,.1f}"
            code = Text(inert(site["code"]))
            table.add_row(Text(inert(site["where"])), size, f"{site['count']:,}", code, style=style)
    return table


def attempts_caption(metric: MetricSpec, attempts: int, target: float | None) -> str:
    """What attempts_chart shows, in words: the metric, how many attempts, the target line."""
    goal = metric.goal.describe()
    if target is None:
        rule = f"target {goal} (no line: the newest attempt recorded no baseline)"
    else:
        rule = f"─ target {goal}" + ("" if metric.goal.relative is None else f" = {number(target)}")
    return f"● {metric.title} per attempt ({attempts}, oldest → newest) · {rule}"


def attempts_chart(values: Sequence[float], target: float | None, width: int, height: int) -> str:
    """A metric per attempt (oldest first, ● joined by ·) with its target as a rule (─),
    drawn by plotext without colour: it reads the same under NO_COLOR. The y axis is
    logarithmic when the figures span ten times or more, so the attempts near the target
    stay apart."""
    import plotext as plt

    xs = list(range(1, len(values) + 1))
    span = [*values] + ([] if target is None else [target])
    plt.clf()
    plt.limitsize(False, False)  # the widget's size, not the terminal plotext guesses
    plt.plotsize(max(width, 20), max(height, 5))
    plt.theme("clear")
    if min(span) > 0 and max(span) >= 10 * min(span):
        plt.yscale("log")
    if target is not None:
        plt.hline(target)
    if len(values) > 1:
        plt.plot(xs, list(values), marker="·")  # whole cells, level with the ● points
    plt.scatter(xs, list(values), marker="●")
    # the target's tick first: where two ticks would share a row, plotext keeps the first
    ticks = list(dict.fromkeys(([] if target is None else [target]) + [min(span), max(span)]))
    plt.yticks(ticks, [number(t) for t in ticks])
    step = math.ceil(len(xs) / max(1, (width - 10) // 6))
    plt.xticks(xs[::step])
    text: str = plt.uncolorize(plt.build())
    return text.rstrip("\n")
