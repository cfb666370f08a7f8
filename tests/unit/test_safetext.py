"""Learner text made inert: nothing a terminal acts on survives, readable text is untouched."""

from __future__ import annotations

import json

import pytest

from perfcoach.safetext import inert, inert_json
from tests.helpers import ACTIVE_CONTROL


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b[H✔ PASS", "␛[2J␛[H✔ PASS"),  # clear screen, cursor home
        ("\x1b]0;owned\x07rest", "␛]0;owned␇rest"),  # OSC window title, ended by BEL
        (
            "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
            "␛]8;;https://evil.example␛\\click␛]8;;␛\\",
        ),
        ("\x1bP+q\x1b\\", "␛P+q␛\\"),  # DCS
        ("a\x00b", "a␀b"),
        ("\x08\x0b\x0c\x7f", "␈␋␌␡"),
        ("\x9b2J \x9d0;t\x9c \x85", "\\x9b2J \\x9d0;t\\x9c \\x85"),  # C1: CSI, OSC, ST, NEL
        ("FAIL\r✔ PASS", "FAIL\n✔ PASS"),  # a lone CR cannot overprint the line
        ("10%\r20%\r", "10%\n20%\n"),
        ("windows\r\nline\r\n", "windows\nline\n"),
        ("\u202eSSAP\u202c", "\\u202eSSAP\\u202c"),  # right-to-left override
        ("\u202a\u202b\u202d", r"\u202a\u202b\u202d"),  # embeddings, left-to-right override
        ("\u2066\u2067\u2068\u2069", r"\u2066\u2067\u2068\u2069"),  # isolates
    ],
)
def test_controls_become_visible_stand_ins(raw: str, shown: str) -> None:
    assert inert(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii\twith a tab\nand lines\n",
        "emoji 🎉 👩🏽‍💻 🇫🇷 ✔ — «quotes» café",
        "Arabic مرحبا بالعالم and Hebrew שלום, with marks \u200e\u200f\u061c",
        "中文 日本語 한국어",
        "[bold]not markup[/bold] [/x] :thumbs_up:",
        "",
    ],
)
def test_readable_text_is_returned_untouched(text: str) -> None:
    assert inert(text) is text


def test_no_code_point_stays_active_and_cleaning_twice_changes_nothing() -> None:
    every = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c < 0xE000)
    once = inert(every)
    assert ACTIVE_CONTROL.search(once) is None
    assert inert(once) == once


def test_json_export_keeps_the_data_and_prints_safely() -> None:
    data = {"message": "\x1b[2J\x00 \x7f \x9b \u202e ok 🎉 مرحبا"}
    text = inert_json(json.dumps(data, ensure_ascii=False))
    assert ACTIVE_CONTROL.search(text) is None
    assert "🎉 مرحبا" in text
    assert json.loads(text) == data
