"""Metric goals such as '<= 3' or '<= baseline / 10', parsed once and compared exactly."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from perfcoach.numbers import number
from perfcoach.verdict import Verdict, interval_verdict

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "==": operator.eq,
}
_PRETTY = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}
_NUMBER = r"[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_GOAL = re.compile(
    rf"^\s*(?P<op><=|>=|==|<|>)\s*"
    rf"(?:(?P<abs>{_NUMBER})|baseline\s*(?P<rel_op>[/*])\s*(?P<rel>{_NUMBER}))\s*$"
)


@dataclass(frozen=True)
class Goal:
    """A target: an operator and either a number or a fraction/multiple of the baseline."""

    op: str
    number: float
    relative: str | None = None  # "/" or "*" when the goal is stated against the baseline
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> Goal:
        """Parse a goal string; raises ValueError with the accepted forms."""
        match = _GOAL.match(text)
        if not match:
            raise ValueError(
                f"goal {text!r} is not one of '<op> NUMBER', '<op> baseline / NUMBER', "
                "'<op> baseline * NUMBER' (op: <=, >=, <, >, ==)"
            )
        if match["abs"] is not None:
            return cls(match["op"], float(match["abs"]), None, text.strip())
        number = float(match["rel"])
        if match["rel_op"] == "/" and number == 0:
            raise ValueError(f"goal {text!r} divides the baseline by zero")
        return cls(match["op"], number, match["rel_op"], text.strip())

    def threshold(self, baseline: float | None) -> float | None:
        """The number to beat; None when the goal needs a baseline that is missing."""
        if self.relative is None:
            return self.number
        if baseline is None:
            return None
        return baseline / self.number if self.relative == "/" else baseline * self.number

    def met(self, value: float, baseline: float | None) -> bool | None:
        """Whether value meets the goal; None when the threshold cannot be known."""
        limit = self.threshold(baseline)
        if limit is None:
            return None
        return _OPS[self.op](value, limit)

    def verdict(
        self, value: float, baseline: float | None, low: float | None, high: float | None
    ) -> Verdict:
        """pass, fail, inconclusive or missing: a value without a range compares exactly; a
        timed one must clear the goal with its whole range."""
        limit = self.threshold(baseline)
        if limit is None:
            return Verdict.MISSING
        if low is None or high is None:
            low = high = value
        return interval_verdict(_OPS[self.op], limit, low, high, self.higher_is_better)

    @property
    def higher_is_better(self) -> bool:
        """Direction of improvement, used to explain a verdict and to settle timings."""
        return self.op in (">=", ">")

    def describe(self, baseline: float | None = None) -> str:
        """Human form such as '≤ 3' or '≤ baseline/10 (= 1,204)'."""
        sign = _PRETTY[self.op]
        if self.relative is None:
            return f"{sign} {number(self.number)}"
        rel = f"baseline{self.relative}{number(self.number)}"
        limit = self.threshold(baseline)
        return f"{sign} {rel}" + (f" (= {number(limit)})" if limit is not None else "")
