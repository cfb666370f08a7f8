"""The sharding lab through the real check: the starter fails, ring and jump pass (rendezvous
is the grader corpus's alternative), and every tempting half-fix fails with a message that
says what to do next."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path
from typing import Any

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult, run_check
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows, metric_verdicts
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "sharding"
SEED = 31337
METRICS = [
    "moved_pct",
    "moved_elsewhere",
    "removal_moved_others",
    "load_max_over_mean",
    "hashseed_mismatches",
]

STARTER = (LAB_DIR / "starter" / "router.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "router.py").read_text()

RING_100_MD5 = '''"""A ring of 100 md5 points per shard (bisect.bisect, the other side of a tie)."""

import bisect
import hashlib


def h(text: str) -> int:
    return int(hashlib.md5(text.encode()).hexdigest()[:16], 16)


class Ring:
    def __init__(self, shards: list[str], vnodes: int = 100) -> None:
        points = sorted((h(f"{s}-{i}"), s) for s in shards for i in range(vnodes))
        self.points = [p for p, _ in points]
        self.names = [s for _, s in points]

    def shard_for(self, key: str) -> str:
        return self.names[bisect.bisect(self.points, h(key)) % len(self.names)]


def make_router(shards: list[str]) -> Ring:
    return Ring(shards)
'''

JUMP = '''"""Jump consistent hash over a 64-bit sha1 of the key; bucket i is shards[i]."""

import hashlib


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "little")


def jump(key: int, buckets: int) -> int:
    b, j = -1, 0
    while j < buckets:
        b = j
        key = (key * 2862933555777941757 + 1) % 2**64
        j = int((b + 1) * (2**31 / ((key >> 33) + 1)))
    return b


class JumpRouter:
    def __init__(self, shards: list[str]) -> None:
        self.shards = list(shards)

    def shard_for(self, key: str) -> str:
        return self.shards[jump(key_hash(key), len(self.shards))]


def make_router(shards: list[str]) -> JumpRouter:
    return JumpRouter(shards)
'''


def edit(source: str, old: str, new: str) -> str:
    """Replace one piece of a file, failing loudly if it changed under us."""
    assert source.count(old) == 1, f"the file no longer contains {old!r} exactly once"
    return source.replace(old, new)


HASHLIB_MOD_N = edit(
    edit(STARTER, "from __future__ import annotations\n", "import hashlib\n"),
    "hash(key) % len(self.shards)",
    "int(hashlib.md5(key.encode()).hexdigest(), 16) % len(self.shards)",
)
RING_ONE_POINT = edit(RING_100_MD5, "vnodes: int = 100", "vnodes: int = 1")
JUMP_SORTED = edit(JUMP, "self.shards = list(shards)", "self.shards = sorted(shards)")
JUMP_SET = edit(JUMP, "self.shards = list(shards)", "self.shards = list(set(shards))")
RANDOM_CHOICE = edit(
    edit(STARTER, "from __future__ import annotations\n", "import random\n"),
    "return self.shards[hash(key) % len(self.shards)]",
    "return random.choice(self.shards)",
)
RETURNS_INDEX = edit(
    edit(STARTER, "return self.shards[hash(key) % len(self.shards)]", "return hash(key) % 10"),
    "def shard_for(self, key: str) -> str:",
    "def shard_for(self, key: str) -> int:",
)
# Remembers every answer in a module-level dict and keeps a key where it was: it would
# move nothing, but every process (and every new router after a deploy) starts empty.
STICKY = edit(
    edit(
        HASHLIB_MOD_N, "class ShardRouter:", "PLACED: dict[str, str] = {}\n\n\nclass ShardRouter:"
    ),
    "        return self.shards[int(hashlib.md5(key.encode()).hexdigest(), 16) % len(self.shards)]",
    "        if PLACED.get(key) not in self.shards:\n"
    "            digest = int(hashlib.md5(key.encode()).hexdigest(), 16)\n"
    "            PLACED[key] = self.shards[digest % len(self.shards)]\n"
    "        return PLACED[key]",
)

# Remembers answers where a fresh import of router.py cannot wipe them: in builtins.
STICKY_IN_BUILTINS = edit(
    STICKY,
    "PLACED: dict[str, str] = {}",
    "import builtins\n\nPLACED: dict[str, str] = builtins.__dict__.setdefault('placed', {})",
)
# Keeps the driver from importing router.py again, so a module-level memory survives.
STICKY_DRIVER_PATCHED = (
    "import sys\n\n"
    'sys.modules["perfcoach_lab_driver"]._fresh = lambda module: module\n'
    'sys.modules["perfcoach_lab_driver"].place = lambda module, layouts: []\n'
    + STICKY.replace("from __future__ import annotations\n", "")
)
# Jump hash over the first ten shards only: nothing ever moves, and nothing reaches the 11th.
IGNORES_NEW_SHARDS = edit(JUMP, "self.shards = list(shards)", "self.shards = list(shards)[:10]")


check = functools.partial(check_source, seed=SEED)


@pytest.fixture(scope="module")
def starter_runs(lab: Lab) -> list[CheckResult]:
    """The starter checked twice with one seed: hash() is salted, yet the numbers repeat."""
    return [run_check(lab, lab.starter_dir, seed=SEED) for _ in range(2)]


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, _ = lesson_and_brief(lab, "database-sharding", 4)
    assert 4 <= len(lesson.quiz) <= 6
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)


def test_starter_fails_movement_and_hash_seed_but_is_balanced(
    starter_runs: list[CheckResult],
) -> None:
    result = starter_runs[0]
    assert result.verdict == "fail"
    assert result.correct is True
    assert metric_verdicts(result) == {
        "moved_pct": "fail",
        "moved_elsewhere": "fail",
        "removal_moved_others": "fail",
        "load_max_over_mean": "pass",
        "hashseed_mismatches": "fail",
    }
    rows = metric_rows(result)
    moved = rows["moved_pct"]
    assert moved.value == moved.baseline
    assert moved.value == pytest.approx(100 * 10 / 11, abs=1)
    assert "N/(N+1)" in moved.detail and "hash % N" in moved.detail
    assert result.message.startswith("keys moved, 10 → 11 shards (%)")
    seeds = rows["hashseed_mismatches"]
    assert seeds.value is not None and seeds.value > 1500
    assert "PYTHONHASHSEED=" in seeds.detail and "hashlib" in seeds.detail
    assert "hash % N changes the shard" in rows["moved_elsewhere"].detail


def test_salted_hash_still_gives_repeatable_numbers(starter_runs: list[CheckResult]) -> None:
    first, second = (metric_rows(run) for run in starter_runs)
    for name in METRICS:
        assert (first[name].value, first[name].baseline, first[name].detail) == (
            second[name].value,
            second[name].baseline,
            second[name].detail,
        )
    assert starter_runs[0].notes == starter_runs[1].notes


def test_reference_ring_passes(lab: Lab) -> None:
    result = run_check(lab, lab.solution_dir, seed=SEED)
    assert result.verdict == "pass", result.message
    rows = metric_rows(result)
    assert rows["moved_pct"].value is not None and rows["moved_pct"].value < 10.5
    assert rows["moved_elsewhere"].value == rows["removal_moved_others"].value == 0
    assert rows["hashseed_mismatches"].value == 0
    assert any("move only its" in note for note in result.notes)


@pytest.mark.parametrize("source", [RING_100_MD5, JUMP], ids=["ring-100-md5", "jump"])
def test_every_taught_scheme_passes(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    moved = metric_rows(result)["moved_pct"].value
    assert moved is not None and moved < 10
    middle = "can only grow or shrink at the end"  # jump hash renumbers after a middle shard
    assert any(middle in note for note in result.notes) == (source is JUMP)


def test_hashlib_mod_n_is_stable_but_still_moves_almost_everything(
    lab: Lab, tmp_path: Path
) -> None:
    result = check(lab, tmp_path, HASHLIB_MOD_N)
    assert result.verdict == "fail"
    found = metric_verdicts(result)
    assert found["hashseed_mismatches"] == "pass"
    assert found["moved_pct"] == "fail"
    assert "that is hash % N, with any hash" in metric_rows(result)["moved_pct"].detail


def test_a_ring_with_one_point_per_shard_is_unbalanced(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RING_ONE_POINT)
    assert result.verdict == "fail"
    rows = metric_rows(result)
    assert rows["moved_elsewhere"].value == rows["removal_moved_others"].value == 0
    balance = rows["load_max_over_mean"]
    assert balance.verdict == "fail"
    assert balance.value is not None and balance.value > 1.8
    assert "per cluster" in balance.detail and "1.12× with 160" in balance.detail


def test_jump_over_sorted_names_renumbers_shards(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, JUMP_SORTED)
    assert result.verdict == "fail"
    elsewhere = metric_rows(result)["moved_elsewhere"]
    assert elsewhere.verdict == "fail"
    assert "Use the list order" in elsewhere.detail
    assert metric_verdicts(result)["hashseed_mismatches"] == "pass"


def test_jump_over_a_set_differs_per_hash_seed(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, JUMP_SET)
    assert result.verdict == "fail"
    seeds = metric_rows(result)["hashseed_mismatches"]
    assert seeds.verdict == "fail"
    assert "order of a set of str" in seeds.detail


def test_remembering_answers_does_not_survive_a_new_process(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STICKY)
    assert result.verdict == "fail"
    assert metric_verdicts(result)["moved_pct"] == "fail"


def test_random_routing_is_a_wrong_answer(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RANDOM_CHOICE)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "two routers built from the same shard list disagree" in result.message


def test_an_index_is_not_a_shard_name(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RETURNS_INDEX)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "return the name itself" in result.message


def test_hard_coded_placement_fails_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    plan = bench.make_plan(random.Random(f"{SEED}:clusters"))  # the bench's ctx.rng("clusters")
    namespace: dict[str, Any] = {}
    exec(compile(SOLUTION, "router.py", "exec"), namespace)
    shards, keys = plan.layouts()[0]  # the first cluster as it runs today
    router = namespace["make_router"](shards)
    recorded = {key: router.shard_for(key) for key in keys}
    source = (
        "import json\n\n"
        f"PLACED = json.loads({json.dumps(json.dumps(recorded))})\n"
        "SOME_SHARD = next(iter(PLACED.values()))\n\n\n"
        "class Recorded:\n"
        "    def shard_for(self, key):\n"
        "        return PLACED.get(key, SOME_SHARD)\n\n\n"
        "def make_router(shards):\n"
        "    return Recorded()\n"
    )
    result = check(lab, tmp_path, source, seed=SEED + 1)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: shard_for(")
    assert "not one of the shard names" in result.message


def test_profile_shows_one_lookup_per_key(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    calls = {row["function"]: row["ncalls"] for row in report["rows"]}
    assert calls.get("shard_for", 0) >= 800_000  # 400,000 keys placed twice


def test_remembering_answers_elsewhere_in_the_process_is_caught(lab: Lab, tmp_path: Path) -> None:
    """A memory a fresh import does not wipe makes the same shard list answer differently."""
    result = check(lab, tmp_path, STICKY_IN_BUILTINS)
    assert result.verdict == "fail" and result.correct is False
    assert "the answer must depend only on the shard list and the key" in result.message
    assert "cannot remember where keys were" in result.message


def test_patching_the_driver_to_keep_the_module_is_caught(lab: Lab, tmp_path: Path) -> None:
    """Replacing the driver's helpers from router.py: the grader still compares answers."""
    result = check(lab, tmp_path, STICKY_DRIVER_PATCHED)
    assert result.verdict == "fail" and result.correct is False
    assert "the answer must depend only on the shard list and the key" in result.message


def test_a_router_that_never_uses_a_new_shard_is_a_wrong_answer(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, IGNORES_NEW_SHARDS)
    assert result.verdict == "fail" and result.correct is False
    assert "received none of the 25,000 keys on a cluster of 11 shards" in result.message


def test_a_forged_result_and_an_early_exit_give_an_error(lab: Lab, tmp_path: Path) -> None:
    forged = json.dumps({"status": "ok", "grade": {"correct": True, "metrics": {}}})
    source = (
        "import os\n"
        "from pathlib import Path\n\n"
        f"for name in ('result.json', '.result.json', 'verdict.json'):\n"
        f"    Path(name).write_text({forged!r})\n"
        "os._exit(0)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "exited with status 0 before it replied" in result.message


def test_the_reference_is_out_of_reach(lab: Lab, tmp_path: Path) -> None:
    """No expected placement on the stack, no bench in sys.modules, no solution on disk."""
    from perfcoach.paths import builtin_pack_root

    solution = builtin_pack_root() / "labs" / "sharding" / "solution" / "router.py"
    source = (
        "import sys\n\n"
        "SEEN = [sys._getframe(depth).f_globals.get('__name__') for depth in range(4)]\n"
        "assert 'perfcoach_lab_bench' not in sys.modules, 'the bench is in this process'\n"
        f"SOLUTION = {str(solution)!r}\n"
        "exec(open(SOLUTION).read())\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "not allowed during a check" in result.message
    assert "router.py line 6" in result.where
    imported = check(lab, tmp_path, "from perfcoach.paths import builtin_pack_root\n")
    assert imported.verdict == "error"
    assert "importing perfcoach.paths is not allowed during a check" in imported.message


def test_a_router_that_hides_the_hash_seed_in_a_subprocess_is_refused(
    lab: Lab, tmp_path: Path
) -> None:
    source = edit(
        STARTER,
        "    def __init__(self, shards: list[str]) -> None:\n        self.shards = list(shards)\n",
        "    def __init__(self, shards: list[str]) -> None:\n"
        "        import subprocess, sys\n"
        "        self.shards = list(shards)\n"
        "        subprocess.run([sys.executable, '-c', 'pass'], env={'PYTHONHASHSEED': '0'})\n",
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "subprocess.Popen is not allowed" in result.message


def test_walking_the_object_graph_is_refused(lab: Lab, tmp_path: Path) -> None:
    """gc finds no grader-owned object here, and during a check it is not even allowed."""
    source = edit(
        SOLUTION,
        "def make_router(shards: list[str]) -> ShardRouter:\n",
        "def make_router(shards: list[str]) -> ShardRouter:\n"
        "    import gc\n\n"
        "    gc.get_objects()\n",
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "gc.get_objects() is not allowed during a check" in result.message
