"""Make text from learner code inert before any face shows it.

A lab's code can print, raise or return anything, and a terminal acts on some of it: ESC
starts cursor moves, screen clears, title changes and hyperlinks (CSI, OSC, DCS), C1
characters act like ESC on some terminals, a lone carriage return overwrites the line just
printed, and bidi overrides reorder what is displayed. Any of these could paint a fake
verdict, so every face passes learner text through `inert` and shows the result literally.

What `inert` shows instead:

- tab and newline stay as they are, and so does every printable character (accents, emoji,
  Arabic and Hebrew letters);
- a carriage return starts a new line: `\\r\\n` becomes one newline, a lone `\\r` (a progress
  bar redrawing itself) becomes a newline too, so each state stays visible and none is
  overwritten;
- the other C0 controls and DEL become their Unicode control pictures, one cell wide:
  NUL `␀`, BEL `␇`, backspace `␈`, ESC `␛`, DEL `␡` (so `ESC[2J` reads `␛[2J`);
- C1 controls (U+0080–U+009F) and bidi embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069) have no picture and become Python escapes, as the learner would type them:
  `\\x9b`, `\\u202e`.
"""

from __future__ import annotations

import re

_C0 = [c for c in range(0x20) if chr(c) not in "\t\n\r"]
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]

_STAND_IN: dict[int, str] = {
    ord("\r"): "\n",
    **{c: chr(0x2400 + c) for c in _C0},  # the Control Pictures block mirrors C0: ESC is ␛
    0x7F: "\u2421",  # ␡
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{c: f"\\u{c:04x}" for c in _BIDI},
}


def _any_of(codes: list[int]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in codes) + "]")


_UNSAFE = _any_of(list(_STAND_IN))
_UNSAFE_IN_JSON = _any_of([c for c in _STAND_IN if c >= 0x7F])  # json.dumps escapes the rest


def inert(text: str) -> str:
    """text with every character a terminal would act on replaced by a visible stand-in.

    Clean text comes back as it is after one regex scan; otherwise one table pass, so the cost
    stays linear whatever the learner prints (see the module docstring for the stand-ins).
    """
    if _UNSAFE.search(text) is None:
        return text
    return text.replace("\r\n", "\n").translate(_STAND_IN)


def inert_json(document: str) -> str:
    """JSON text (from json.dumps) with the characters it leaves raw written as \\u escapes.

    json.dumps escapes C0 but not DEL, C1 or bidi controls; as escapes they decode to the same
    data, so an export keeps every byte of learner text and is still safe to print.
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
