"""Adversarial learner files, checked end to end through the real `lab check`.

Every file under attacks/<lab-id>/ is a complete replacement for that lab's graded file,
written by a learner who wants a pass without doing the work (classes 1-5, see
README.md in this folder) or by an honest learner with a plausible wrong fix. None of
them may pass. Every file under alternatives/<lab-id>/ is a correct fix the labs' briefs
accept; each must pass (with two different seeds where the lab times something).

The tests are black-box: a source string goes in, `run_check` runs, and only the
CheckResult comes out, so they keep working when the grader is rewritten. Each check
runs on a private copy of the lab folder, so an attack that writes to the lab cannot
damage the repository (and the copy's files must be untouched afterwards).

Each file's docstring ends with an `Expect:` line, read here:

* `Expect: not pass` — any verdict but pass, with a plain, non-empty message;
* `Expect: wrong result` — a failed correctness check (`correct is False`);
* `Expect: fail on METRIC` — the check fails (or is inconclusive) and that metric's row
  does not pass; the message names a metric that missed its target (a timeout is
  accepted too: on a loaded machine a slow wrong fix can outlast the lab's time limit);
* `Expect: pass` — alternatives only.

and optionally `Isolate: yes`: the check runs in a throw-away intermediate process,
because the attack goes for the process that waits for the verdict; and any number of
`Says: TEXT` lines: when the check fails, its message, a note or a row's detail contains TEXT
(what the learner is told, held here instead of in a second check of the same file).

A pass, and a fail expected on a timed metric, are checked with every metric timed;
every other case is checked as a learner's `lab check` runs it, which leaves the timed
metrics untimed once a counted one has missed (still running the timed trials' fresh
inputs, checked, so a remembered answer is still a wrong result). In a lab that times
something an alternative is checked on a second seed too, counted-only where the bench
counts before it times: its timings were proven on the first seed, and the second asks for
the right result and counts. In a lab whose every metric is a count, one seed per file:
the CI budget, and those labs' corpora were swept over 40-100 seeds when they were built
(docs/sim.md), each file on a seed of its own.

KNOWN_HOLES_BEFORE_REWRITE lists the attack files that PASS with today's grader
(measured before the rewrite); their tests fail on purpose until the rewrite closes the
hole. They are deliberately not marked xfail.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from perfcoach.catalog import Lab, load_lab
from tests.helpers import check_source

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LABS = ROOT / "labs"
ATTACKS = sorted((HERE / "attacks").glob("*/*.py"))
ALTERNATIVES = sorted((HERE / "alternatives").glob("*/*.py"))
ISOLATED_TIMEOUT_S = 180
MESSAGE_LIMIT = 2000

# Attack files that get a `pass` from the grader as it is before the rewrite (measured
# with the seeds below, on a 2-core machine). Each one is a hole the rewrite must close.
KNOWN_HOLES_BEFORE_REWRITE = frozenset(
    {
        # class 1: replacing what the grader uses
        "n-plus-one/rebind_bench_grade.py",
        "profile-hotspot/patch_cprofile_class.py",
        "profile-hotspot/sabotage_starter.py",
        "cache-aside/patch_expiry_check.py",
        "concurrent-io/patch_time_sleep.py",
        "concurrent-io/patch_perf_counter.py",
        "concurrent-io/hide_thread_count.py",
        "concurrent-io/slow_starter_via_loader.py",
        "connection-pool/settrace_off_unlocked_flags.py",
        "connection-pool/patch_sys_settrace.py",
        "hot-path/fake_cpu_clock.py",
        "hot-path/rewrite_starter_on_disk.py",
        "index-strategy/patch_vmsteps_counter.py",
        "latency-percentiles/stop_tracemalloc.py",
        "latency-percentiles/rebind_bench_peak_memory.py",
        "memory-peak/reset_peak_before_returning.py",
        "memory-peak/restart_tracemalloc.py",
        "multi-layer-cache/rebind_replay_check.py",
        "sharding/patch_bench_movement.py",
        # class 2: forging the outcome
        "n-plus-one/forge_result_os_exit.py",
        "cache-aside/forge_result_from_argv.py",
        "index-strategy/forge_from_background_thread.py",
        "memory-peak/atexit_rewrites_result.py",
        # class 3: reaching the reference
        "n-plus-one/import_solution.py",
        "profile-hotspot/bench_reference_function.py",
        "hot-path/reference_from_caller_frame.py",
        "index-strategy/expected_from_caller_frame.py",
        "latency-percentiles/reference_from_grader_frame.py",
        "sharding/import_solution.py",
        "sharding/reuse_grader_hashring.py",
        # class 4: routing the work around the counters
        "n-plus-one/second_connection_erase_audit.py",
        "n-plus-one/fork_child_runs_queries.py",
        "cache-aside/repository_private_rows.py",
        "cache-aside/uncount_reads.py",
        "concurrent-io/client_closure_bypass.py",
        "connection-pool/unbounded_hide_connections.py",
        "connection-pool/leak_then_close_via_server.py",
        "index-strategy/python_index_from_gc.py",
        "latency-percentiles/child_process_keeps_samples.py",
        "memory-peak/subprocess_does_the_work.py",
        "multi-layer-cache/l2_storage_peek.py",
        "multi-layer-cache/retag_shared_objects.py",
        # class 5: memoising across timed repetitions
        "profile-hotspot/cache_report_profiler_off.py",
        "concurrent-io/cache_quotes_across_calls.py",
        "hot-path/replay_answers_by_stock.py",
        "memory-peak/cache_result_from_first_call.py",
    }
)

# Attacks that, before the rewrite, leave the caller without any verdict at all (the
# process waiting for it is killed). Not a pass, but a hole all the same.
KNOWN_NO_VERDICT_BEFORE_REWRITE = frozenset({"connection-pool/kill_parent.py"})

# Correct alternatives that today's grader does NOT pass (false negatives).
KNOWN_FALSE_FAILS_BEFORE_REWRITE = frozenset(
    {
        # The speedup times Matcher construction too: 80 Dijkstras up front cost ~16x.
        "hot-path/all_pairs_routes.py",
        # L2 lookups made inside update()'s bus callbacks count against "per L1 miss".
        "multi-layer-cache/refresh_from_l2_in_callback.py",
    }
)

_EXPECT = re.compile(r"^Expect:\s*(?P<what>.+?)\s*$", re.MULTILINE)
_ISOLATE = re.compile(r"^Isolate:\s*yes\s*$", re.MULTILINE | re.IGNORECASE)
_SAYS = re.compile(r"^Says:\s*(?P<text>.+?)\s*$", re.MULTILINE)
_FAIL_ON = re.compile(r"^fail on (?P<metric>[a-z0-9_]+)$")


@dataclass(frozen=True)
class Case:
    """One learner file and what its docstring promises about it."""

    path: Path
    expect: str  # "not pass" | "wrong result" | "fail on <metric>" | "pass"
    isolate: bool
    says: tuple[str, ...] = ()  # texts a failing check's message or notes must contain

    @property
    def lab_id(self) -> str:
        """The lab the file is for: the name of its folder."""
        return self.path.parent.name

    @property
    def key(self) -> str:
        """'lab-id/file.py', as listed in the KNOWN_* sets."""
        return f"{self.lab_id}/{self.path.name}"

    def seed(self, round_: int = 0) -> int:
        """A fixed seed per file (and round), so every run of the suite is the same."""
        return zlib.crc32(f"{self.key}:{round_}".encode()) % (2**31 - 1) + 1


def read_case(path: Path) -> Case:
    """Parse the file's docstring for its Expect: and Isolate: lines."""
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    match = _EXPECT.search(doc)
    assert match, f"{path}: the docstring needs an 'Expect:' line"
    says = tuple(m.group("text") for m in _SAYS.finditer(doc))
    return Case(path, match.group("what"), bool(_ISOLATE.search(doc)), says)


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def _lab_copy(lab_id: str, tmp_path: Path) -> Lab:
    """A private copy of the lab folder, so a learner file that writes there hurts nothing."""
    target = tmp_path / "labs" / lab_id
    shutil.copytree(LABS / lab_id, target)
    return load_lab(target)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class Outcome:
    """What a check reported, reduced to what these tests look at."""

    verdict: str
    message: str
    correct: bool | None
    rows: dict[str, tuple[str, str]]  # metric name -> (verdict, title)
    notes: tuple[str, ...] = ()
    details: tuple[str, ...] = ()  # every metric row's detail


_ISOLATED_RUNNER = """
import json, sys
from pathlib import Path
from perfcoach.catalog import load_lab
from perfcoach.runner import run_check
lab = load_lab(Path(sys.argv[1]))
folder = Path(sys.argv[2])
result = run_check(
    lab, folder, seed=int(sys.argv[3]), time_all=sys.argv[4] == "1", counted_only=sys.argv[5] == "1"
)
print(json.dumps({
    "verdict": result.verdict,
    "message": result.message,
    "correct": result.correct,
    "rows": {r.name: [r.verdict, r.title] for r in result.metrics},
    "notes": result.notes,
    "details": [r.detail for r in result.metrics],
}))
"""


def _times_what_it_expects(case: Case, lab: Lab) -> bool:
    """Whether the check must time every metric: a pass, and a fail expected on a timed
    metric, need the timings; any other attack is checked as `lab check` runs it, which
    leaves the timings untimed once a counted metric has missed."""
    match = _FAIL_ON.match(case.expect)
    if case.expect == "pass" or match is None:
        return case.expect == "pass"
    return any(m.name == match.group("metric") and not m.deterministic for m in lab.metrics)


def run_case(
    case: Case, tmp_path: Path, seed: int, *, counted_only: bool = False
) -> Outcome | None:
    """Run the real check on the case's file; None when no verdict came back at all."""
    lab = _lab_copy(case.lab_id, tmp_path)
    source = case.path.read_text()
    time_all = _times_what_it_expects(case, lab)
    if not case.isolate:
        result = check_source(
            lab, tmp_path, source, seed=seed, time_all=time_all, counted_only=counted_only
        )
        return Outcome(
            result.verdict,
            result.message,
            result.correct,
            {row.name: (row.verdict, row.title) for row in result.metrics},
            tuple(result.notes),
            tuple(row.detail for row in result.metrics),
        )
    folder = tmp_path / "candidate-isolated"
    folder.mkdir()
    (folder / lab.main_file).write_text(source)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))  # leftovers of a killed check stay here
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _ISOLATED_RUNNER,
            str(lab.root),
            str(folder),
            str(seed),
            "1" if time_all else "0",
            "1" if counted_only else "0",
        ],
        capture_output=True,
        text=True,
        timeout=ISOLATED_TIMEOUT_S,
        env=env,
        start_new_session=True,  # its own process group: nothing it does reaches pytest's
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        return None
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = {name: (verdict, title) for name, (verdict, title) in data["rows"].items()}
    notes, details = tuple(data["notes"]), tuple(data["details"])
    return Outcome(data["verdict"], data["message"], data["correct"], rows, notes, details)


def assert_plain_message(outcome: Outcome) -> None:
    """A message a learner can read: plain text, one statement, not the grader's innards."""
    message = outcome.message
    assert isinstance(message, str) and message.strip(), "the verdict comes with no message"
    assert "\x1b" not in message and "\x00" not in message, f"not plain text: {message!r}"
    assert "Traceback (most recent call last)" not in message, message
    assert len(message) <= MESSAGE_LIMIT, f"message of {len(message)} characters"
    assert len(re.findall(r"[A-Za-z]{3,}", message)) >= 2, f"says too little: {message!r}"
    assert message.strip() != "every target met", "a pass message on a check that did not pass"


def assert_names_a_missed_metric(outcome: Outcome) -> None:
    """A failed (or inconclusive) check with a correct result says which metric missed."""
    missed = [title for verdict, title in outcome.rows.values() if verdict != "pass"]
    assert missed, f"{outcome.verdict} but every metric row passed: {outcome.rows}"
    assert any(title in outcome.message for title in missed), (
        f"the message names none of the metrics that missed ({missed}): {outcome.message!r}"
    )


ATTACK_CASES = [read_case(p) for p in ATTACKS]
ALTERNATIVE_CASES = [read_case(p) for p in ALTERNATIVES]


@pytest.mark.parametrize("case", ATTACK_CASES, ids=_ids(ATTACKS))
def test_attack_does_not_pass(case: Case, tmp_path: Path) -> None:
    """No adversarial or wrong learner file gets a pass, and the verdict explains itself."""
    before = _snapshot(LABS / case.lab_id)
    outcome = run_case(case, tmp_path, case.seed())
    copy = tmp_path / "labs" / case.lab_id
    assert outcome is not None, (
        f"{case.key}: the check never reported a verdict (the process waiting for it died)"
    )
    assert outcome.verdict != "pass", f"{case.key} passed: {outcome.message}"
    assert_plain_message(outcome)
    assert _snapshot(copy) == before, f"{case.key} changed the lab's own files during the check"
    if outcome.verdict in ("fail", "inconclusive") and outcome.correct:
        assert_names_a_missed_metric(outcome)
    if outcome.verdict == "fail":
        told = (outcome.message, *outcome.notes, *outcome.details)
        for text in case.says:
            assert any(text in line for line in told), f"{case.key}: nothing says {text!r}: {told}"
    if case.expect == "wrong result":
        assert outcome.verdict == "fail", outcome.message
        assert outcome.correct is False, outcome.message
    elif outcome.verdict == "timeout" and _FAIL_ON.match(case.expect):
        # A wrong fix with a slow timed metric can run past the lab's wall-clock limit on
        # a loaded machine (today's timing budgets are counted in CPU seconds): not a
        # pass, but no metric row to look at either.
        pass
    elif match := _FAIL_ON.match(case.expect):
        metric = match.group("metric")
        assert outcome.verdict in ("fail", "inconclusive"), outcome.message
        assert metric in outcome.rows, f"no row for {metric}: {sorted(outcome.rows)}"
        assert outcome.rows[metric][0] in ("fail", "inconclusive"), outcome.rows
    else:
        assert case.expect == "not pass", f"{case.key}: unknown expectation {case.expect!r}"


def _timed_lab(lab_id: str) -> bool:
    """Whether the lab times something: where every metric is a count (a seeded simulation
    or a counter), one seed per alternative is checked, and the labs' seed sweeps live in
    docs/sim.md and their tests; where timings are involved a second seed is checked too."""
    return any(not m.deterministic for m in load_lab(LABS / lab_id).metrics)


ALTERNATIVE_ROUNDS = [
    pytest.param(case, round_, id=f"{case.lab_id}/{case.path.stem}-seed-{'ab'[round_]}")
    for case in ALTERNATIVE_CASES
    for round_ in ((0, 1) if _timed_lab(case.lab_id) else (0,))
]


@pytest.mark.parametrize(("case", "round_"), ALTERNATIVE_ROUNDS)
def test_correct_alternative_passes(case: Case, round_: int, tmp_path: Path) -> None:
    """A correct fix the brief accepts passes, whatever the seed (on the second seed, every
    counted metric passes and the timings are left out where the bench counts first)."""
    assert case.expect == "pass", f"{case.key}: alternatives must expect a pass"
    outcome = run_case(case, tmp_path, case.seed(round_), counted_only=round_ == 1)
    assert outcome is not None
    if round_ == 1 and outcome.verdict == "inconclusive" and outcome.correct:
        assert outcome.message.startswith("counted only:"), outcome.message
        timed = _timed_metrics(case)
        for name, (verdict, _) in outcome.rows.items():
            assert verdict == ("unmeasured" if name in timed else "pass"), (name, outcome.rows)
        return
    if outcome.verdict != "pass" and _timed_misses_only(case, outcome):
        # A busy machine slows a correct fix's timed figures, never its counts or answers
        # (in CI, load-test's P95 of a correct server read 272 ms under -n 4): such a miss
        # is checked once more. A wrong fix gets no second try: attacks are not retried.
        again = tmp_path / "again"
        again.mkdir()
        outcome = run_case(case, again, case.seed(round_), counted_only=round_ == 1)
        assert outcome is not None
    assert outcome.verdict == "pass", f"{case.key} ({outcome.verdict}): {outcome.message}"


def _timed_metrics(case: Case) -> set[str]:
    return {m.name for m in load_lab(LABS / case.lab_id).metrics if not m.deterministic}


def _timed_misses_only(case: Case, outcome: Outcome) -> bool:
    """The check's answers were right and every row that did not pass is a timed one."""
    missed = {name for name, (verdict, _) in outcome.rows.items() if verdict != "pass"}
    return outcome.correct is True and bool(missed) and missed <= _timed_metrics(case)


def test_the_corpus_is_complete_and_its_lists_are_current() -> None:
    """Every lab has attacks, every class is represented, the KNOWN_* lists name real
    files, and every attack names its class (or 'Wrong fix') on its first line."""
    keys = {case.key for case in ATTACK_CASES}
    labs = {p.name for p in LABS.iterdir() if (p / "lab.toml").is_file()}
    assert {case.lab_id for case in ATTACK_CASES} == labs
    assert len(ATTACK_CASES) >= 35
    for listed in (KNOWN_HOLES_BEFORE_REWRITE, KNOWN_NO_VERDICT_BEFORE_REWRITE):
        assert listed <= keys, sorted(listed - keys)
    assert {c.key for c in ALTERNATIVE_CASES} >= KNOWN_FALSE_FAILS_BEFORE_REWRITE
    classes: set[str] = set()
    for case in ATTACK_CASES:
        first = (ast.get_docstring(ast.parse(case.path.read_text())) or "").splitlines()[0]
        found = re.match(r"^(Class [1-5](?: \+ [1-5])*|Wrong fix) — ", first)
        assert found, f"{case.key}: the first line must start with 'Class N — ' or 'Wrong fix — '"
        classes.update(re.findall(r"[1-5]", found.group(1)) or ["wrong-fix"])
    assert classes == {"1", "2", "3", "4", "5", "wrong-fix"}
