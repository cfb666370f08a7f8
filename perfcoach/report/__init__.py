"""Effort reports a person pastes into a pull request: Markdown, HTML and versioned JSON.

Names load their module on first use (perfcoach.lazy): a lab check imports report.output to
write a workspace file, and the app's first screen should not pay for the renderers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfcoach.lazy import attribute

if TYPE_CHECKING:
    from perfcoach.report.model import REPORT_FORMAT, REPORT_VERSION, EffortReport, build_report
    from perfcoach.report.to_html import to_html
    from perfcoach.report.to_json import to_json
    from perfcoach.report.to_markdown import to_markdown

FORMATS = ("md", "json", "html")

_EXPORTS = {
    "REPORT_FORMAT": "perfcoach.report.model",
    "REPORT_VERSION": "perfcoach.report.model",
    "EffortReport": "perfcoach.report.model",
    "build_report": "perfcoach.report.model",
    "to_html": "perfcoach.report.to_html",
    "to_json": "perfcoach.report.to_json",
    "to_markdown": "perfcoach.report.to_markdown",
}


def render(report: EffortReport, fmt: str, summary: bool = False) -> str:
    """The report in one of FORMATS, as text ready to write to a file or print; summary
    asks for Markdown's short form for a pull request.

    Exports go to terminals too: controls in user text become visible stand-ins, and in JSON
    \\u escapes that decode to the same data.
    """
    from perfcoach.report.to_html import to_html
    from perfcoach.report.to_json import to_json
    from perfcoach.report.to_markdown import to_markdown, to_markdown_summary
    from perfcoach.safetext import inert, inert_json

    if summary and fmt != "md":
        raise ValueError(f"the summary is Markdown only, not {fmt!r}")
    if fmt == "md":
        return inert(to_markdown_summary(report) if summary else to_markdown(report))
    if fmt == "html":
        return inert(to_html(report))
    if fmt == "json":
        return inert_json(to_json(report))
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


__all__ = [
    "FORMATS",
    "REPORT_FORMAT",
    "REPORT_VERSION",
    "EffortReport",
    "build_report",
    "render",
    "to_html",
    "to_json",
    "to_markdown",
]


def __getattr__(name: str) -> Any:
    return attribute(__name__, _EXPORTS, name)
