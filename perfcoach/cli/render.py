"""Rich renderings of core results for the terminal: verdict tables and profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfcoach.console import fmt_number

if TYPE_CHECKING:
    from rich.console import Console

    from perfcoach.runner import CheckResult, MetricRow

VERDICT_STYLE = {
    "pass": "bold green",
    "fail": "bold red",
    "inconclusive": "bold yellow",
    "timeout": "bold red",
    "error": "bold red",
    "oom": "bold red",
    "missing": "yellow",
}


def verdict_text(verdict: str) -> str:
    """A verdict word in its colour, upper-case so it reads without colour too."""
    return f"[{VERDICT_STYLE.get(verdict, 'bold')}]{verdict.upper()}[/]"


def _value(row: MetricRow, value: float | None) -> str:
    text = fmt_number(value)
    if value is not None and not row.deterministic and row.name.endswith("speedup"):
        text += "×"
    return text


def _yours(row: MetricRow) -> str:
    text = _value(row, row.value)
    if row.low is not None and row.high is not None and not row.deterministic:
        text += f" ({fmt_number(row.low)}–{fmt_number(row.high)})"
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
            _value(row, row.baseline),
            _yours(row),
            row.target,
            verdict_text(row.verdict),
        )
    return table


def print_check(out: Console, result: CheckResult, next_step: str) -> None:
    """The whole verdict: table, what went wrong, what the code printed, what to do next."""
    if result.metrics:
        out.print(check_table(result))
    else:
        out.print(f"{result.lab_id}: {verdict_text(result.verdict)}")
    out.print(f"{verdict_text(result.verdict)} {result.message}", markup=True)
    for row in result.metrics:
        if row.detail and (row.verdict != "pass" or not row.deterministic):
            out.print(f"  • {row.title}: {row.detail}", markup=False)
    for note in result.notes:
        if note.strip():
            out.print(note.rstrip(), markup=False, style="dim" if result.verdict != "error" else "")
    if result.output_bytes:
        out.print(f"your code printed {result.output_bytes:,} bytes:", style="dim")
        out.print(result.output.rstrip()[-2000:], markup=False, style="dim")
    out.print(
        f"seed {result.seed} · {result.duration_s:.1f}s · code {result.code_hash}", style="dim"
    )
    if next_step:
        out.print(next_step, markup=False)


def profile_table(profile: dict[str, Any]) -> Any:
    """Rows from a profiler adapter as a table, learner code highlighted."""
    from rich.table import Table

    kind = profile.get("kind")
    table = Table(expand=False)
    if kind == "cprofile":
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
                r["function"],
                r["where"],
                f"{r['ncalls']:,}",
                f"{r['tottime_s']:.4f}",
                f"{r['cumtime_s']:.4f}",
                style=style,
            )
    elif kind == "scalene":
        table.title = f"scalene: busiest lines of your code ({profile['elapsed_s']:.2f}s run)"
        for col, justify in (
            ("where", "left"),
            ("python %", "right"),
            ("native %", "right"),
            ("code", "left"),
        ):
            table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for r in profile["rows"]:
            table.add_row(
                r["where"], f"{r['python_percent']:.1f}", f"{r['native_percent']:.1f}", r["code"]
            )
    else:
        table.title = (
            f"memory: peak RSS {profile['peak_rss_mib']:.1f} MiB (memory-profiler), "
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
        for r in profile["rows"]:
            style = "bold" if r["learner"] else "dim"
            size = f"{r['size_bytes'] / 1024:,.1f}"
            table.add_row(r["where"], size, f"{r['count']:,}", r.get("code", ""), style=style)
    return table
