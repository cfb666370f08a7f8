"""SQL statement templates: one per query shape, so per-row queries group together."""

from __future__ import annotations

import re

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_IN_LIST = re.compile(r"\bin\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalize_sql(sql: str) -> str:
    """One template per query shape: literals become ?, IN lists become IN (…), lowercase.

    Python 3.11 hands the trace callback the SQL with bound values inlined, so the
    same query for two parent rows differs only in its literals.
    """
    text = _STRING.sub("?", sql)
    text = _NUMBER.sub("?", text)
    text = _SPACE.sub(" ", text).strip().rstrip(";").strip()
    text = _IN_LIST.sub("in (…)", text)
    return text.lower()
