"""The catalog rejects every kind of broken pack with the file and the key named."""

from __future__ import annotations

import operator
from pathlib import Path

import pytest

from perfcoach.catalog import CatalogError, PackInvalid, load_pack, read_pack
from perfcoach.catalog.goals import Goal
from perfcoach.paths import builtin_pack_root
from perfcoach.verdict import Verdict, interval_verdict
from tests.helpers import FIXTURE_PACK, add_lab, copy_pack, edit

LAB_TOML = Path("labs/sum-lab/lab.toml")
LESSON = Path("content/1-fundamentals/fixture-basics.md")


def test_fixture_pack_is_valid() -> None:
    pack = load_pack(FIXTURE_PACK)
    lab = pack.lab("sum-lab")
    assert lab.files == ("work.py",)
    assert [m.name for m in lab.metrics] == ["calls", "speedup"]
    assert lab.metrics[0].title == "function calls"
    assert len(pack.lessons["fixture-basics"].quiz) == 3
    assert pack.checklists["pre"].items()[0].id == "baseline-metrics"


def test_builtin_pack_is_valid() -> None:
    pack = load_pack()
    assert {"n-plus-one", "profile-hotspot"} <= set(pack.labs)


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        (
            'title = "Sum without the detour"\n',
            'title = "Sum"\ncolour = "red"\n',
            "colour",
            "not a known key",
        ),
        ('title = "Sum without the detour"\n', "", "title", "is missing"),
        ("format_version = 1", "format_version = 2", "format_version", "must be 1"),
        ("level = 1", 'level = "one"', "level", "must be an integer"),
        ("level = 1", "level = 7", "level", "must be one of 1, 2, 3, 4, 5"),
        ("order = 1\n", "", "order", "is missing"),
        ("order = 1", "order = 0", "order", "must be 1 or more"),
        ("order = 1", 'order = "first"', "order", "must be an integer"),
        ('id = "sum-lab"', 'id = "Sum_Lab"', "id", "a-z, 0-9"),
        ('id = "sum-lab"', 'id = "other-lab"', "id", "folder name"),
        ('files = ["work.py"]', "files = []", "files", "at least one file"),
        ('files = ["work.py"]', 'files = ["../work.py"]', "files", "plain importable"),
        ("timeout_s = 20", "timeout_s = 0", "timeout_s", "between 1 and"),
        ("timeout_s = 20", "timeout_s = 20\nsubjects = 0", "subjects", "between 1 and 16"),
        ("timeout_s = 20", "timeout_s = 20\nsubjects = 17", "subjects", "between 1 and 16"),
        (
            "timeout_s = 20",
            'timeout_s = 20\nserve_loopback = "yes"',
            "serve_loopback",
            "true or false",
        ),
        ('goal = "<= baseline / 10"', 'goal = "small"', "metrics[0].goal", "not one of"),
        ('goal = "<= baseline / 10"', 'goal = "<= baseline / 0"', "metrics[0].goal", "by zero"),
        ("deterministic = true", "deterministic = 1", "metrics[0].deterministic", "true or false"),
        ("deterministic = true", "deterministic = false", "metrics", "deterministic"),
        ('name = "speedup"', 'name = "calls"', "metrics", "twice"),
        ('label = "function calls"', 'labell = "x"', "metrics[0].labell", "not a known key"),
        ("hints = [", "hints = [1, ", "hints[0]", "non-empty string"),
        ("plausible = [1, 1e7]\n", "", "metrics[0].plausible", "is missing"),
        ("plausible = [1, 1e7]", "plausible = [9, 1]", "metrics[0].plausible", "[low, high]"),
        ("plausible = [1, 1e7]", "plausible = [1]", "metrics[0].plausible", "[low, high]"),
        ("plausible = [1, 1e7]", 'plausible = ["a", 1]', "metrics[0].plausible", "[low, high]"),
    ],
)
def test_broken_manifest_names_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    root = copy_pack(tmp_path)
    edit(root / LAB_TOML, old, new)
    pack = read_pack(root)
    assert "sum-lab" not in pack.labs
    [error] = pack.problems
    assert error.path == root / LAB_TOML
    assert error.key == key
    assert problem in str(error)
    with pytest.raises(PackInvalid, match="1 problem"):
        load_pack(root)


def test_invalid_toml_syntax(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    edit(root / LAB_TOML, "level = 1", "level = = 1")
    [error] = read_pack(root).problems
    assert "invalid TOML" in str(error)
    assert "lab.toml" in str(error)


@pytest.mark.parametrize(
    "part", ["README.md", "bench.py", "driver.py", "starter/work.py", "solution/work.py"]
)
def test_missing_lab_file(tmp_path: Path, part: str) -> None:
    root = copy_pack(tmp_path)
    (root / "labs/sum-lab" / part).unlink()
    [error] = read_pack(root).problems
    assert error.path == root / "labs/sum-lab" / part
    assert "is missing" in str(error)


def test_missing_manifest(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    (root / LAB_TOML).unlink()
    [error] = read_pack(root).problems
    assert "lab.toml" in str(error) and "is missing" in str(error)


def test_lab_module_must_have_a_lesson(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    edit(root / LAB_TOML, 'module = "fixture-basics"', 'module = "no-such-lesson"')
    [error] = read_pack(root).problems
    assert error.key == "module"
    assert "no-such-lesson" in str(error)


def test_labs_of_a_module_need_distinct_orders(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    add_lab(root, "zz-again", order=1)
    [error] = read_pack(root).problems
    assert error.key == "order" and error.path == root / "labs/zz-again/lab.toml"
    assert "like 'sum-lab'" in str(error)


def test_labs_follow_their_order_not_their_id(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    add_lab(root, "a-first-by-name", order=2)
    assert [lab.id for lab in load_pack(root).ordered_labs()] == ["sum-lab", "a-first-by-name"]


def test_builtin_labs_follow_their_lessons() -> None:
    """Within a module, labs come in the order the lesson teaches them."""
    by_module: dict[str, list[str]] = {}
    for lab in load_pack().ordered_labs():
        by_module.setdefault(lab.module, []).append(lab.id)
    assert by_module["basic-optimization"] == ["hot-path", "n-plus-one"]
    assert by_module["advanced-profiling"] == ["memory-peak", "concurrent-io"]
    assert by_module["database-optimization"] == ["index-strategy", "connection-pool"]
    assert by_module["caching-strategies"] == ["cache-aside", "multi-layer-cache"]


def test_unreadable_manifest(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    (root / LAB_TOML).write_bytes(b"\xff\xfe not utf-8")
    [error] = read_pack(root).problems
    assert "UTF-8" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("+++\nid", "id", "front matter"),
        (
            'answer = 1\nexplanation = "The same',
            'answer = 5\nexplanation = "The same',
            "must index a choice",
        ),
        ('id = "fixture-basics"', 'id = "other"', "file name"),
        ("level = 1", "level = 2", "2-intermediate"),
        (
            'objectives = ["Count the work a function does before timing it."]',
            "objectives = []",
            "objectives",
        ),
        (
            '[[quiz]]\nquestion = "Which',
            'quiz_typo = 1\n[[quiz]]\nquestion = "Which',
            "not a known key",
        ),
        (
            "level = 1\n",
            'level = 1\nplayground = ["cache-zipf", "cache-huge"]\n',
            "'cache-huge' is not a playground preset",
        ),
    ],
)
def test_broken_lesson(tmp_path: Path, old: str, new: str, problem: str) -> None:
    root = copy_pack(tmp_path)
    edit(root / LESSON, old, new)
    problems = read_pack(root).problems
    assert any(problem in str(p) and "fixture-basics.md" in str(p) for p in problems), problems


def test_checklist_link_must_resolve(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    edit(
        root / "checklists/pre.toml",
        'id = "monitoring"\n',
        'id = "monitoring"\nteaches = ["nope"]\n',
    )
    problems = read_pack(root).problems
    assert any("nope" in str(p) for p in problems)


def test_not_a_pack(tmp_path: Path) -> None:
    [error] = read_pack(tmp_path).problems
    assert isinstance(error, CatalogError)
    assert "not a content pack" in str(error)


@pytest.mark.parametrize(
    ("text", "value", "baseline", "met"),
    [
        ("<= 3", 3, None, True),
        ("<= 3", 4, None, False),
        (">= 5", 5.0, 1.0, True),
        ("< 1.3", 1.3, None, False),
        ("== 0", 0, None, True),
        ("<= baseline / 10", 100, 1000, True),
        ("<= baseline / 10", 101, 1000, False),
        ("<= baseline * 0.5", 5, 10, True),
    ],
)
def test_goal_comparison(text: str, value: float, baseline: float | None, met: bool) -> None:
    assert Goal.parse(text).met(value, baseline) is met


def test_relative_goal_needs_a_baseline() -> None:
    goal = Goal.parse("<= baseline / 10")
    assert goal.met(5, None) is None
    assert goal.describe(12_040) == "≤ baseline/10 (= 1,204)"


def test_checklist_items_may_name_the_labs_that_prove_them() -> None:
    mastery = load_pack(FIXTURE_PACK).checklists["mastery"]
    assert mastery.scope == "learner"
    assert mastery.items()[0].proven_by == ("sum-lab",)
    assert mastery.items()[1].proven_by == ()


def test_proven_by_must_name_an_existing_lab(tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    edit(root / "checklists/mastery.toml", 'proven_by = ["sum-lab"]', 'proven_by = ["nope-lab"]')
    [error] = read_pack(root).problems
    assert error.key == "proven_by"
    assert "'find-bottlenecks' is proven by unknown lab 'nope-lab'" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('scope = "learner"', 'scope = "team"', "scope", "must be one of effort, learner"),
        ('proven_by = ["sum-lab"]', 'proven_by = "sum-lab"', "proven_by", "must be a list"),
        ('proven_by = ["sum-lab"]', "proven_by = [1]", "proven_by[0]", "non-empty string"),
    ],
)
def test_broken_checklist_keys(tmp_path: Path, old: str, new: str, key: str, problem: str) -> None:
    root = copy_pack(tmp_path)
    edit(root / "checklists/mastery.toml", old, new)
    [error] = read_pack(root).problems
    assert key in (error.key or "")
    assert problem in str(error)


def test_builtin_checklists_cover_the_seed() -> None:
    pack = read_pack(builtin_pack_root())
    assert not [p for p in pack.problems if "checklists" in str(p.path)], pack.problems
    checklists = pack.checklists
    sizes = {
        checklist_id: [len(section.items) for section in checklist.sections]
        for checklist_id, checklist in checklists.items()
    }
    assert sizes["pre"] == [8]
    assert sizes["optimization"] == [6, 6, 6]
    assert sizes["post"] == [8]
    assert sizes["scaling"] == [8]
    assert sizes["caching"] == [4]
    assert sizes["mastery"] == [4] * 7
    assert checklists["mastery"].scope == "learner"
    post = [item.id for item in checklists["post"].items()]
    assert {"measure-improvements", "compare-baseline", "validate-targets"} <= set(post)
    assert any(item.proven_by for item in checklists["mastery"].items())


def test_labs_follow_the_order_of_their_lessons() -> None:
    level_one = [lab.id for lab in load_pack().ordered_labs() if lab.level == 1]
    assert level_one == [
        "warmup",
        "latency-percentiles",
        "profile-hotspot",
        "hot-path",
        "n-plus-one",
    ]


def test_level_three_lessons_come_in_mastery_path_order() -> None:
    """Level 3 has lessons before it has labs; they come in their front matter's order, and
    the checklist items they teach link to them."""
    pack = load_pack()
    level_three = [lesson.id for lesson in pack.ordered_lessons() if lesson.level == 3]
    written = ["microservices", "event-driven-architecture", "high-availability"]
    assert [lesson_id for lesson_id in level_three if lesson_id in written] == written
    mastery = {item.id: item for item in pack.checklists["mastery"].items()}
    assert "microservices" in mastery["service-boundaries"].teaches
    assert "event-driven-architecture" in mastery["event-driven"].teaches
    assert "high-availability" in mastery["high-availability"].teaches


def test_level_four_lessons_come_in_mastery_path_order() -> None:
    """Replicas come before sharding, as one primary is scaled before the data is split; the
    checklist items about replicas, events and availability link to the new lessons."""
    pack = load_pack()
    level_four = [lesson.id for lesson in pack.ordered_lessons() if lesson.level == 4]
    written = ["database-scaling", "database-sharding", "cqrs-event-sourcing", "multi-region"]
    assert [lesson_id for lesson_id in level_four if lesson_id in written] == written
    mastery = {item.id: item for item in pack.checklists["mastery"].items()}
    assert "database-scaling" in mastery["read-replicas"].teaches
    assert "cqrs-event-sourcing" in mastery["event-driven"].teaches
    assert "multi-region" in mastery["high-availability"].teaches
    optimization = {item.id: item for item in pack.checklists["optimization"].items()}
    assert "database-scaling" in optimization["read-replicas"].teaches


def test_one_interval_rule_decides_every_verdict() -> None:
    """Goal verdicts, Estimate.above/below and effort goal checks share interval_verdict."""
    le = operator.le
    assert interval_verdict(le, 10.0, 8.0, 9.0, False) is Verdict.PASS
    assert interval_verdict(le, 10.0, 11.0, 12.0, False) is Verdict.FAIL
    assert interval_verdict(le, 10.0, 9.0, 11.0, False) is Verdict.INCONCLUSIVE
    goal = Goal.parse(">= baseline * 2")
    assert goal.verdict(3.0, 1.0, 1.5, 4.0) is Verdict.INCONCLUSIVE
    assert goal.verdict(3.0, 1.0, None, None) == "pass"  # a StrEnum: the stored word
    assert goal.verdict(3.0, None, None, None) is Verdict.MISSING
