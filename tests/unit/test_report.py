"""Effort reports: Markdown matches a golden file, HTML escapes user text, JSON is versioned."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from perfcoach import numbers
from perfcoach.catalog import load_pack
from perfcoach.efforts import ChecklistState, ItemState, SectionState, parse_goal
from perfcoach.efforts.goal import check_goal
from perfcoach.efforts.measuring import unpaired_speedup
from perfcoach.report import EffortReport, render
from perfcoach.store import Effort, Measurement
from tests.helpers import FIXTURE_PACK

GOLDEN = Path(__file__).parents[1] / "fixtures" / "report" / "effort.md"
GOLDEN_SUMMARY = GOLDEN.with_name("effort-summary.md")
FULL_ENV = {
    "cwd": "/src/shop",
    "host": "ci-7",
    "platform": "Linux-6.8.0-x86_64-with-glibc2.39",
    "cpus": 8,
    "load_1m": 0.42,
    "git_commit": "abc1234+dirty",
    "python": "3.12.3",
}
NOTE = "<script>alert('pwned')</script> p95 340ms | staging"
GOAL = "wall < 500ms"


def _summary(median: float, low: float, high: float) -> dict[str, float]:
    return {
        "median": median,
        "low": low,
        "high": high,
        "min": low,
        "max": high,
        "spread": (high - low) / median,
    }


def _measured(command: str, walls: list[float], rss: float) -> dict:
    return {
        "command": command,
        "runs": len(walls),
        "wall_s": _summary(sorted(walls)[len(walls) // 2], min(walls), max(walls)),
        "cpu_s": _summary(0.9 * walls[0], 0.85 * walls[0], 0.95 * walls[0]),
        "peak_rss_kib": _summary(rss, rss - 10, rss + 10),
        "samples": [{"wall_s": w, "cpu_s": 0.9 * w, "peak_rss_kib": int(rss)} for w in walls],
    }


def _report(
    note: str = NOTE, command: str = "python bench.py --slow", env: dict | None = None
) -> EffortReport:
    pack = load_pack(FIXTURE_PACK)
    goal = parse_goal(GOAL)
    assert goal is not None
    effort = Effort("checkout-p95", GOAL, goal.metric, goal.op, goal.value, _at(9))
    before = _measured(command, [1.2, 1.25, 1.3], 51200.0)
    after = _measured("python bench.py", [0.3, 0.31, 0.32], 40960.0)
    speedup = unpaired_speedup(before["wall_s"], after["wall_s"])
    env = env or {"cwd": "/src/shop", "git_commit": "abc1234", "cpus": 2, "load_1m": None}
    baseline = Measurement(
        1, "b" * 32, effort.id, "baseline", command, None, 3,
        {"measured": before, "against": None, "speedup": None, "goal": None, "env": env},
        _at(10),
    )  # fmt: skip
    compare = Measurement(
        2, "c" * 32, effort.id, "compare", "python bench.py", None, 3,
        {
            "measured": after,
            "against": {**before, "uid": baseline.uid},
            "speedup": speedup,
            "goal": check_goal(goal, after, speedup),
            "env": env,
        },
        _at(11),
    )  # fmt: skip
    checklists = []
    for checklist_id in ("pre", "post"):
        checklist = pack.checklists[checklist_id]
        sections = []
        for section in checklist.sections:
            states = []
            for item in section.items:
                evidence: tuple[str, ...] = ()
                if item.id in ("baseline-metrics", "document-current"):
                    evidence = (baseline.uid,)
                if item.id in ("measure-improvements", "compare-baseline", "validate-targets"):
                    evidence = (compare.uid,)
                by = "perfcoach" if evidence else ("you" if item.id == "profile" else "")
                text = note if item.id == "profile" else ""
                states.append(ItemState(item, bool(by), by, text, evidence, (), ()))
            sections.append(SectionState(section, tuple(states)))
        checklists.append(ChecklistState(checklist, effort.id, tuple(sections)))
    return EffortReport(
        effort, goal, tuple(checklists), (baseline, compare), _at(12), perfcoach_version="9.9.9"
    )


def _at(hour: int) -> datetime:
    return datetime(2026, 3, 14, hour, 30, tzinfo=UTC)


def test_markdown_matches_the_golden_file() -> None:
    text = render(_report(), "md")
    if os.environ.get("PERFCOACH_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_summary_matches_its_golden_file() -> None:
    text = render(_report(env=FULL_ENV), "md", summary=True)
    if os.environ.get("PERFCOACH_UPDATE_GOLDEN"):
        GOLDEN_SUMMARY.write_text(text, encoding="utf-8")
    assert text == GOLDEN_SUMMARY.read_text(encoding="utf-8")
    assert "- [ ]" in render(_report(env=FULL_ENV), "md")  # the long form lists untouched items
    assert "## Checklists" not in text and "- [ ]" not in text


def test_markdown_keeps_a_command_with_backticks_in_one_code_span() -> None:
    text = render(_report(command="echo `date`"), "md")
    assert "``echo `date```" not in text
    assert "`` echo `date` ``" in text


def test_html_escapes_everything_the_user_typed() -> None:
    text = render(_report(command="python bench.py --tag '<img src=x onerror=alert(1)>'"), "html")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; p95 340ms | staging" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "wall &lt; 500ms" in text
    assert "4.03× faster" in text


def test_json_has_a_versioned_documented_shape() -> None:
    document = json.loads(render(_report(), "json"))
    assert document["format"] == "perfcoach-effort-report"
    assert document["format_version"] == 1
    assert document["effort"]["goal"] == GOAL
    assert document["effort"]["goal_check"]["metric"] == "wall"
    assert document["latest_comparison"] == "c" * 32
    [baseline, compare] = document["measurements"]
    assert compare["figures"]["goal"]["verdict"] == "met"
    assert compare["figures"]["speedup"]["paired"] is False
    pre = document["checklists"][0]
    assert (pre["id"], pre["done"], pre["total"]) == ("pre", 3, 8)
    items = {item["id"]: item for section in pre["sections"] for item in section["items"]}
    assert items["profile"]["note"] == NOTE
    assert items["baseline-metrics"]["evidence"] == [baseline["uid"]]


def test_one_number_formatter_reads_the_same_everywhere() -> None:
    assert [numbers.number(x) for x in (None, 3.0, 1234567.0, 1234.5, 0.01234)] == [
        "—",
        "3",
        "1,234,567",
        "1,234",
        "0.0123",
    ]
    assert numbers.seconds(0.0005) == "500 µs"
    assert numbers.seconds(0.25) == "250 ms"
    assert numbers.kib(2048) == "2.0 MiB"
    assert numbers.milliseconds(0.0123) == "12.3 ms"
    assert numbers.precise(float("inf")) == "inf"
