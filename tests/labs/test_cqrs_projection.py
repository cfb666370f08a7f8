"""The cqrs-projection lab through the real check: the starter is right and folds the whole
log for every page; the reference projector passes with ~1/100 of its VM steps; a
projector that commits a change in the crash batch without its version, or keeps its
model only in memory, fails where the brief says; and the bench's stream is what the
brief says it is. The tempting wrong fixes are in tests/grader/attacks/cqrs-projection,
each checked once there with the message it must produce."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from tests.helpers import check_source, edit_source, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "cqrs-projection"
SEED = 424242
METRICS = ["wrong_answers", "replay_changes", "rebuild_differences", "query_vm_steps"]

STARTER = (LAB_DIR / "starter" / "projection.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "projection.py").read_text()

check = functools.partial(check_source, seed=SEED)

# The reference with its one COMMIT gone: each batch's changes stay in an open transaction,
# so nothing is durable when project() returns.
NO_COMMIT = edit_source(
    SOLUTION,
    "        db.commit()  # read model, pending rows and versions: all or nothing\n",
    "        pass\n",
)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "cqrs-event-sourcing", 4)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    for hint, section in zip(
        lab.hints,
        (
            "4. Projections and what they save",
            "5. Ordering, duplicates, and a projector that survives both",
            "6. Rebuilds",
        ),
        strict=True,
    ):
        assert hint.endswith(f"→ lesson cqrs-event-sourcing § {section}")
    for function in ("setup", "project", "order_view", "customer_orders", "orders_with_status"):
        assert f"def {function}(" in STARTER and f"def {function}(" in SOLUTION
        assert f"`{function}(" in brief


def test_starter_is_right_and_reads_the_whole_log(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail" and result.correct
    rows = metric_rows(result)
    for name in ("wrong_answers", "replay_changes", "rebuild_differences"):
        assert rows[name].verdict == "pass" and rows[name].value == 0
    steps = rows["query_vm_steps"]
    assert steps.verdict == "fail"
    assert steps.value is not None and steps.baseline is not None
    assert steps.value > 50_000 and abs(steps.value - steps.baseline) <= steps.baseline / 100
    assert any("A query that folds the log, or scans a table" in n for n in result.notes)
    assert any("killed right after its first COMMIT in batch" in n for n in result.notes)


def test_reference_projector_passes_far_inside_the_target(
    solution_runs: list[CheckResult],
) -> None:
    first, again = solution_runs
    assert first.verdict == "pass", first.message
    rows = metric_rows(first)
    steps = rows["query_vm_steps"]
    assert steps.value is not None and steps.baseline is not None
    assert steps.value * 65 < steps.baseline  # the target is 1/50
    assert rows["wrong_answers"].detail.startswith("every answer")
    assert again.verdict == "pass"
    assert [(r.name, r.value, r.baseline) for r in again.metrics] == [
        (r.name, r.value, r.baseline) for r in first.metrics
    ]


def test_changes_left_uncommitted_fail_at_the_crash(lab: Lab, tmp_path: Path) -> None:
    """A batch is acknowledged when project() returns: what it applied must be durable."""
    result = check(lab, tmp_path, NO_COMMIT)
    assert result.verdict == "fail" and result.correct is False
    assert "returned from batch 1 with changes it had not committed" in result.message
    assert "the subscription counts a batch as done" in result.message


def _plan(bench: Any, seed: int) -> tuple[list[Any], list[list[Any]], int]:
    log = bench.make_log(random.Random(f"{seed}:log"))
    batches = bench.lone_parked(bench.deliveries(log, random.Random(f"{seed}:deliveries")))
    return log, batches, bench.pick_crash(batches)


def test_stream_is_late_duplicated_and_crashes_where_it_tests() -> None:
    """On many seeds: versions 1..n per order; each event late by a bounded amount; some
    twice; and the crash batch starts with an item applied at once while an event
    delivered earlier still waits for its gap (so a buffer in memory loses it)."""
    bench = load_bench(LAB_DIR)
    for seed in range(40):
        log, batches, crash = _plan(bench, seed)
        versions: dict[int, list[int]] = {}
        for event in log:
            versions.setdefault(event["order_id"], []).append(event["version"])
        assert all(v == list(range(1, len(v) + 1)) for v in versions.values())
        delivered = [e["position"] for batch in batches for e in batch]
        assert len(delivered) > len(log) and set(delivered) == set(range(1, len(log) + 1))
        arrival = list(dict.fromkeys(delivered))  # each event's first delivery, in order
        # The crash batch's first event is moved to its front: one more place at most.
        assert max(rank - (p - 1) for rank, p in enumerate(arrival)) <= bench.LATE + 1
        assert arrival != sorted(arrival)
        assert len(batches) // 2 <= crash < len(batches) - 2
        fold = bench.Fold()
        for number, batch in enumerate(batches[:crash]):
            fold.deliver(batch, number)
        head = batches[crash][0]
        assert head["type"] in bench.ITEMS
        assert head["version"] == fold.versions[head["order_id"]] + 1
        fold.deliver(batches[crash], crash)
        later = {(e["order_id"], e["version"]) for b in batches[crash + 1 :] for e in b}
        assert any(key not in later for key in fold.pending)
        # Before the crash, a batch of one event that waits for an earlier version: it
        # changes no order, and what it keeps must be committed all the same.
        fold = bench.Fold()
        lone = []
        for number, batch in enumerate(batches[:crash]):
            fold.deliver(batch, number)
            if len(batch) == 1 and (batch[0]["order_id"], batch[0]["version"]) in fold.pending:
                lone.append(number)
        assert lone, seed


def test_same_seed_same_stream() -> None:
    bench = load_bench(LAB_DIR)
    assert _plan(bench, SEED) == _plan(bench, SEED)
    assert _plan(bench, SEED)[0] != _plan(bench, SEED + 1)[0]
