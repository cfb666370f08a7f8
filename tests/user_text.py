"""Text a person or learner code could type, and how a test finds it shown literally."""

from __future__ import annotations

import re

# Rich markup (a closing tag that opens nothing, a style tag), HTML, a table pipe, newlines,
# a Markdown link and image, right-to-left scripts and emoji: each must come out as typed.
USER_TEXT = {
    "closing-tag": "cut [/api/orders] p95 in half",
    "style-tag": "[b]not bold[/b] [/x]",
    "brackets": "p95 < 200ms on /checkout [staging, EU]",
    "html": "<script>alert(1)</script> & <b>x</b>",
    "pipe": "a | b || c",
    "newlines": "first line\nsecond [/x] line",
    "markdown": "[d](http://x.io) ![i](a.png) *e* `t` # h",
    "hebrew": "שלום עולם [/x]",
    "arabic": "مرحبا بالعالم <b>",
    "emoji": "🎉 faster 🚀 [b]",
}

_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_ACTIVE = re.compile(r"(?<!\\)[<>\[\]*_`|&!~$]")


def lines_of(text: str) -> list[str]:
    """The lines a text is shown as, each of which must appear whole."""
    return [line for line in text.split("\n") if line.strip()]


def shows(output: str, text: str) -> bool:
    """Every line of text appears literally in output."""
    return all(line in output for line in lines_of(text))


def from_markdown(markdown: str) -> str:
    """Raw Markdown with its backslash escapes undone: what a renderer shows as text."""
    return _MD_ESCAPE.sub(r"\1", markdown)


def one_line(text: str) -> str:
    """text as a Markdown table or list line holds it: whitespace runs made one space."""
    return " ".join(text.split())


def markdown_inert(fragment: str) -> bool:
    """No character of a Markdown fragment can start a tag, link, emphasis, code or cell."""
    return _MD_ACTIVE.search(fragment) is None
