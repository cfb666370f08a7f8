"""Learner code that tries to pass without fixing, or to reach outside its sandbox, on the
fixture lab: every attempt ends as an error or a fail that says what happened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from perfcoach.catalog import Lab, load_lab
from perfcoach.runner import CheckResult, run_check
from tests.helpers import FIXTURE_PACK

SLOW = """
def total(xs):
    out = 0
    for x in xs:
        out = add(out, x)
    return out


def add(a, b):
    return sum((a, b))
"""


@pytest.fixture(scope="module")
def lab() -> Lab:
    return load_lab(FIXTURE_PACK / "labs" / "sum-lab")


def check(lab: Lab, tmp_path: Path, source: str) -> CheckResult:
    folder = tmp_path / "cand"
    folder.mkdir(exist_ok=True)
    (folder / "work.py").write_text(source)
    return run_check(lab, folder, seed=3)


def test_a_forged_result_file_and_a_hard_exit_is_an_error(lab: Lab, tmp_path: Path) -> None:
    source = (
        "import json, os\n\n"
        "def total(xs):\n"
        "    fake = {'status': 'ok', 'grade': {'correct': True, 'metrics': {}}}\n"
        "    for name in ('.result.json', 'result.json', '../.result.json'):\n"
        "        try:\n"
        "            open(name, 'w').write(json.dumps(fake))\n"
        "        except (OSError, RuntimeError):\n"
        "            pass\n"
        "    os._exit(0)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "exited with status 0 before it replied" in result.message


def test_sys_exit_after_printing_a_verdict_is_an_error(lab: Lab, tmp_path: Path) -> None:
    source = "import sys\n\ndef total(xs):\n    print('PASS every target met')\n    sys.exit(0)\n"
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "sys.exit(0)" in result.message


def test_writes_outside_the_sandbox_are_refused(lab: Lab, tmp_path: Path) -> None:
    home = Path(os.environ["PERFCOACH_HOME"])
    (home / "progress.db").write_bytes(b"untouched")
    targets = [home / "progress.db", lab.bench_path, lab.solution_dir / "work.py", tmp_path / "x"]
    before = {p: p.read_bytes() if p.exists() else None for p in targets}
    source = (
        "def total(xs):\n"
        "    refused = 0\n"
        f"    for path in {[str(p) for p in targets]!r}:\n"
        "        try:\n"
        "            with open(path, 'w') as f:\n"
        "                f.write('pwned')\n"
        "        except (OSError, RuntimeError):\n"
        "            refused += 1\n"
        f"    assert refused == {len(targets)}, refused\n"
        "    return sum(xs)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    assert {p: p.read_bytes() if p.exists() else None for p in targets} == before
    assert any("refused" in note and "write" in note for note in result.notes)


def test_the_solution_in_the_pack_cannot_be_read(lab: Lab, tmp_path: Path) -> None:
    source = (
        f"SOLUTION = {str(lab.solution_dir / 'work.py')!r}\n\n"
        "def total(xs):\n"
        "    namespace = {}\n"
        "    exec(open(SOLUTION).read(), namespace)\n"
        "    return namespace['total'](xs)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "PermissionError" in result.message or "not allowed" in result.message


@pytest.mark.parametrize(
    "attempt",
    [
        "import subprocess\n    subprocess.run(['true'])",
        "import os\n    os.fork()",
        "import os\n    os.system('true')",
        "import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)",
        "import gc\n    gc.get_objects()",
        "import sys\n    sys._current_frames()",
        "import ctypes",
        "import sys\n    sys.setprofile(None)",
        "import sys\n    sys.getprofile().disable()",
        "import os\n    open(f'/proc/{os.getppid()}/cmdline').read()",
        "import socket\n    socket.create_connection(('127.0.0.1', 9))",
        "import socket\n    socket.socket().bind(('127.0.0.1', 0))",
        "import sqlite3\n    sqlite3.connect(':memory:')",
        "import tracemalloc\n    tracemalloc.reset_peak()",
        "import sys\n    sys.modules['perfcoach_lab_driver'].total.__code__ = total.__code__",
    ],
)
def test_escape_hatches_are_refused(lab: Lab, tmp_path: Path, attempt: str) -> None:
    source = f"def total(xs):\n    {attempt}\n    return sum(xs)\n"
    result = check(lab, tmp_path, source)
    assert result.verdict == "error", (attempt, result.verdict, result.message)
    assert result.where == "work.py line 2, in total" or "line 3" in result.where


def test_a_package_that_loads_ctypes_is_refused_with_the_reason(lab: Lab, tmp_path: Path) -> None:
    """numpy imports ctypes: a learner who reaches for it is told why, and what to use."""
    source = "def total(xs):\n    import ctypes.util\n    return sum(xs)\n"
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "importing ctypes is not allowed during a check" in result.message
    assert "numpy, for one" in result.message and "standard library" in result.message


def test_clearing_the_profilers_counts_is_not_trusted(lab: Lab, tmp_path: Path) -> None:
    clear = "    import sys\n    if sys.getprofile():\n        sys.getprofile().clear()\n"
    source = SLOW.replace("    return out\n", clear + "    return out\n", 1)
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail"
    assert "cannot be trusted" in result.message and "cleared" in result.message


def test_replaced_clocks_change_nothing(lab: Lab, tmp_path: Path) -> None:
    source = "import time\ntime.perf_counter = lambda: 0.0\ntime.process_time = lambda: 0.0\n"
    result = check(lab, tmp_path, source + SLOW)
    assert result.verdict == "fail"
    rows = {row.name: row for row in result.metrics}
    assert rows["speedup"].verdict == "fail"
    assert rows["speedup"].high is not None and rows["speedup"].high < 2


def test_work_moved_to_another_thread_still_counts(lab: Lab, tmp_path: Path) -> None:
    """The kernel's CPU clock of the subject covers every thread it has."""
    source = SLOW.replace("def total(xs):", "def _total(xs):") + (
        "\n\nimport threading\n\n\ndef total(xs):\n"
        "    out = []\n"
        "    worker = threading.Thread(target=lambda: out.append(_total(xs)))\n"
        "    worker.start()\n"
        "    worker.join()\n"
        "    return out[0]\n"
    )
    result = check(lab, tmp_path, source)
    rows = {row.name: row for row in result.metrics}
    assert rows["speedup"].verdict == "fail"


def test_a_thread_left_running_does_not_turn_a_pass_into_a_timeout(
    lab: Lab, tmp_path: Path
) -> None:
    source = (
        "import threading, time\n\n"
        "STARTED = []\n\n"
        "def total(xs):\n"
        "    if not STARTED:\n"
        "        STARTED.append(threading.Thread(target=time.sleep, args=(3600,)))\n"
        "        STARTED[0].start()\n"
        "    return sum(xs)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    assert any("left 1 thread(s) running" in note for note in result.notes)


def test_a_new_audit_hook_is_silently_not_added(lab: Lab, tmp_path: Path) -> None:
    """Python drops a hook that an existing hook refuses; the check says it was tried."""
    source = (
        "import sys\n\n"
        "def total(xs):\n"
        "    sys.addaudithook(lambda event, args: None)\n"
        "    return sum(xs)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    assert any("hook" in note for note in result.notes)


def test_a_module_that_rewrites_itself_changes_nothing_graded(lab: Lab, tmp_path: Path) -> None:
    source = (
        "def total(xs):\n"
        "    open(__file__, 'w').write('def total(xs):\\n    return 0\\n')\n"
        "    return sum(xs)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    assert (tmp_path / "cand" / "work.py").read_text() == source


def test_writing_garbage_to_the_grader_socket_is_an_error(lab: Lab, tmp_path: Path) -> None:
    source = (
        "import os\n\n"
        "def total(xs):\n"
        "    for fd in range(0, 64):\n"
        "        try:\n"
        "            os.write(fd, b'C\\x00\\x00\\x00\\x10' + b'x' * 48)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return sum(xs)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "broke its connection to the grader" in result.message


def test_rewriting_the_drivers_code_is_refused(lab: Lab, tmp_path: Path) -> None:
    source = (
        "import sys\n\n"
        "def total(xs):\n"
        "    return sum(xs)\n\n"
        "def fake(module, batches):\n"
        "    return [0 for _ in batches]\n\n"
        "driver = sys.modules['perfcoach_lab_driver']\n"
        "driver.totals.__code__ = fake.__code__\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "error"
    assert "rewriting __code__ of totals() is not allowed" in result.message


def test_the_learners_own_functions_and_namedtuple_defaults_are_theirs(
    lab: Lab, tmp_path: Path
) -> None:
    source = (
        "import asyncio\n"
        "from typing import NamedTuple\n\n"
        "class Running(NamedTuple):\n"
        "    total: int = 0\n\n"
        "def add(a, b=0):\n"
        "    return a + b\n\n"
        "add.__defaults__ = (0,)\n\n"
        "def total(xs):\n"
        "    return add(Running(sum(xs)).total)\n"
    )
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message


def test_perfcoachs_own_models_are_out_of_reach(lab: Lab, tmp_path: Path) -> None:
    imported = check(lab, tmp_path, "from perfcoach.sim.sharding import HashRing\n" + SLOW)
    assert imported.verdict == "error"
    assert "importing perfcoach.sim.sharding is not allowed during a check" in imported.message
    import perfcoach

    model = Path(perfcoach.__file__).resolve().parent / "sim" / "sharding.py"
    by_path = check(lab, tmp_path, f"SOURCE = open({str(model)!r}).read()\n" + SLOW)
    assert by_path.verdict == "error"
    assert "not allowed during a check" in by_path.message or "Permission" in by_path.message
