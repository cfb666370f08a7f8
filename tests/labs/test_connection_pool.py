"""The connection-pool lab through the real check: the starter fails, every pool the lesson
teaches passes, and each tempting broken pool fails with a message that says why."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "connection-pool"
SEED = 737373

STARTER = (LAB_DIR / "starter" / "service.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "service.py").read_text()

HEAD = "from __future__ import annotations\n\nimport queue\nimport threading\nimport time\n"

EAGER_QUEUE = (
    HEAD
    + """

class Service:
    def __init__(self, connect, pool_size):
        self._idle = queue.Queue()
        for _ in range(pool_size):
            self._idle.put(connect())

    def handle(self, work):
        conn = self._idle.get()
        try:
            return work(conn)
        finally:
            self._idle.put(conn)

    def close(self):
        while not self._idle.empty():
            self._idle.get().close()
"""
)

SEMAPHORE = (
    HEAD
    + """from contextlib import contextmanager


class Service:
    def __init__(self, connect, pool_size):
        self.connect = connect
        self._slots = threading.Semaphore(pool_size)
        self._idle = []
        self._all = []
        self._lock = threading.Lock()

    @contextmanager
    def connection(self):
        with self._slots:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self.connect()
                with self._lock:
                    self._all.append(conn)
            try:
                yield conn
            finally:
                with self._lock:
                    self._idle.append(conn)

    def handle(self, work):
        with self.connection() as conn:
            return work(conn)

    def close(self):
        with self._lock:
            for conn in self._all:
                conn.close()
"""
)

UNBOUNDED = (
    HEAD
    + """

class Service:
    def __init__(self, connect, pool_size):
        self.connect = connect
        self._idle = []

    def handle(self, work):
        conn = self._idle.pop() if self._idle else self.connect()
        try:
            return work(conn)
        finally:
            self._idle.append(conn)

    def close(self):
        for conn in self._idle:
            conn.close()
"""
)

LEAKY = EAGER_QUEUE.replace(
    "        try:\n            return work(conn)\n"
    "        finally:\n            self._idle.put(conn)\n",
    "        result = work(conn)\n        self._idle.put(conn)\n        return result\n",
)

BUSY_FLAGS = (
    HEAD
    + """

class Service:
    def __init__(self, connect, pool_size):
        self._conns = [connect() for _ in range(pool_size)]
        self._busy = [False] * pool_size

    def _checkout(self):
        while True:
            for i, busy in enumerate(self._busy):
                if not busy:
                    self._busy[i] = True
                    return i
            time.sleep(0.0001)

    def handle(self, work):
        i = self._checkout()
        try:
            return work(self._conns[i])
        finally:
            self._busy[i] = False

    def close(self):
        for conn in self._conns:
            conn.close()
"""
)

SWALLOWS = EAGER_QUEUE.replace(
    "        try:\n            return work(conn)\n",
    "        try:\n            return work(conn)\n"
    "        except LookupError:\n            return None\n",
)

LOCK_NEVER_RELEASED = (
    HEAD
    + """

class Service:
    def __init__(self, connect, pool_size):
        self._conn = connect()
        self._lock = threading.Lock()

    def handle(self, work):
        self._lock.acquire()
        result = work(self._conn)
        self._lock.release()
        return result

    def close(self):
        self._conn.close()
"""
)

FAKE_CONNECTION = EAGER_QUEUE.replace("return work(conn)", "return work(object())")

# A second race that the amplifier must catch: look for an idle connection, then take it.
CHECK_THEN_TAKE = (
    HEAD
    + """

class Service:
    def __init__(self, connect, pool_size):
        self._all = [connect() for _ in range(pool_size)]
        self._idle = dict.fromkeys(self._all)

    def handle(self, work):
        while True:
            idle = list(self._idle)
            if idle:
                conn = idle[-1]
                self._idle.pop(conn, None)
                break
            time.sleep(0.0001)
        try:
            return work(conn)
        finally:
            self._idle[conn] = None

    def close(self):
        for conn in self._all:
            conn.close()
"""
)

# Attempts to pass without fixing anything. Each must fail, with a message that tells an
# honest learner what is wrong where the message can be asserted.

STOPS_THE_AMPLIFIER = BUSY_FLAGS.replace(
    "    def handle(self, work):\n",
    "    def handle(self, work):\n        sys.settrace(None)\n",
).replace("import time\n", "import sys\nimport time\n")

STOPS_IT_QUIETLY = BUSY_FLAGS.replace(
    "    def handle(self, work):\n",
    "    def handle(self, work):\n"
    "        try:\n            sys.settrace(None)\n"
    "        except RuntimeError:\n            pass\n",
).replace("import time\n", "import sys\nimport time\n")

PATCHES_THE_DRIVER = BUSY_FLAGS.replace(
    "import time\n",
    "import sys\nimport time\n\n"
    "_nap = time.sleep\n"
    "time.sleep = lambda seconds: None\n"
    "sys.settrace = lambda function: None\n"
    "sys.setswitchinterval(1.0)\n"
    "_driver = sys.modules['perfcoach_lab_driver']\n"
    "_driver._build = lambda: None\n"
    "for _name in ('graded', 'batch'):\n"
    "    setattr(_driver, _name, lambda *args: {'results': {}, 'errors': [], 'finished': True})\n"
    "__file__ = '/nowhere/service.py'\n",
).replace("            time.sleep(0.0001)", "            _nap(0.0001)")

FORGED_RESULT = EAGER_QUEUE.replace(
    "    def handle(self, work):\n",
    "    def handle(self, work):\n"
    "        import json, os\n"
    "        with open('result.json', 'w') as out:\n"
    "            json.dump({'status': 'ok', 'verdict': 'pass'}, out)\n"
    "        os._exit(0)\n",
)

STACK_WALK = STARTER.replace(
    "    def handle(self, work: Callable[[Any], T]) -> T:\n",
    "    def handle(self, work: Callable[[Any], T]) -> T:\n"
    "        import sys\n"
    "        frame = sys._getframe(1)\n"
    "        while frame is not None:\n"
    "            for name in ('expected', 'answers', 'key', 'salt'):\n"
    "                if name in frame.f_locals:\n"
    "                    return frame.f_locals[name]\n"
    "            frame = frame.f_back\n",
)

READS_THE_SOLUTION = """
from perfcoach.paths import builtin_pack_root

_path = builtin_pack_root() / "labs" / "connection-pool" / "solution" / "service.py"
exec(compile(_path.read_text(), str(_path), "exec"))
"""

GC_WALK = EAGER_QUEUE.replace(
    "    def handle(self, work):\n",
    "    def handle(self, work):\n"
    "        import gc\n"
    "        servers = [o for o in gc.get_objects() if type(o).__name__ == 'Database']\n",
)

SUBPROCESS = EAGER_QUEUE.replace(
    "    def handle(self, work):\n",
    "    def handle(self, work):\n"
    "        import subprocess, sys\n"
    "        subprocess.run([sys.executable, '-c', 'pass'], check=True)\n",
)

# No pool at all: every request borrows connection #1, made without connect().
FORGED_CONNECTION = (
    HEAD
    + """

class Service:
    def __init__(self, connect, pool_size):
        self._first = connect()

    def handle(self, work):
        return work(type(self._first)(self._first._server, 1))

    def close(self):
        self._first.close()
"""
)

# A connection per request, and every answer remembered by its request id.
MEMOISED = STARTER.replace(
    "    def handle(self, work: Callable[[Any], T]) -> T:\n",
    "    _seen: dict[int, Any] = {}\n\n"
    "    def handle(self, work: Callable[[Any], T]) -> T:\n"
    "        import inspect\n"
    "        request = inspect.getclosurevars(work).nonlocals.get('request')\n"
    "        if request in self._seen:\n"
    "            return self._seen[request]\n",
).replace(
    "            return work(conn)\n",
    "            self._seen[request] = work(conn)\n            return self._seen[request]\n",
)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson_and_brief(lab, "database-optimization", 2)
    names = [m.name for m in lab.metrics]
    assert names == ["connects", "leaked_connections", "double_checkouts", "speedup"]
    assert all(m.deterministic for m in lab.metrics[:3])
    assert not lab.metrics[3].deterministic


def test_starter_fails_connects_and_throughput(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    metrics = metric_rows(result)
    connects = metrics["connects"]
    assert connects.verdict == "fail"
    assert connects.value == connects.baseline == 24
    assert "24 handshakes, one per request" in connects.detail
    assert metrics["leaked_connections"].verdict == "pass"
    assert metrics["double_checkouts"].verdict == "pass"
    assert metrics["speedup"].verdict == "fail"
    assert any("one handshake per request" in note for note in result.notes)


def test_reference_queue_pool_passes_with_counts_that_repeat(
    solution_runs: list[CheckResult],
) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    metrics = metric_rows(first)
    assert metrics["connects"].value == 4
    assert metrics["leaked_connections"].value == 0
    assert metrics["double_checkouts"].value == 0
    again = metric_rows(second)
    for name in ("connects", "leaked_connections", "double_checkouts"):
        a, b = metrics[name], again[name]
        assert (a.value, a.baseline, a.detail) == (b.value, b.baseline, b.detail)


@pytest.mark.parametrize("source", [EAGER_QUEUE, SEMAPHORE], ids=["eager-queue", "semaphore"])
def test_other_pools_pass(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message


def test_unbounded_pool_opens_a_connection_per_thread(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, UNBOUNDED)
    assert result.verdict == "fail"
    connects = metric_rows(result)["connects"]
    assert connects.verdict == "fail"
    assert connects.value is not None and connects.value > 4
    assert "handshakes for a pool of 4" in connects.detail
    assert f"{connects.value:g} open at once" in connects.detail or (
        f"your service opened {connects.value:g}" in connects.detail
    )


def test_pool_without_finally_leaks_on_errors(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LEAKY)
    assert result.verdict == "fail"
    leaked = metric_rows(result)["leaked_connections"]
    assert leaked.verdict == "fail" and leaked.value == 3
    assert "raised OrderNotFound while holding one and never gave it back" in leaked.detail
    assert "finally" in leaked.detail


def test_leaks_repeat_exactly_for_a_seed(lab: Lab, tmp_path: Path) -> None:
    first = metric_rows(check(lab, tmp_path, LEAKY))
    second = metric_rows(check(lab, tmp_path, LEAKY))
    for name in ("connects", "leaked_connections", "double_checkouts"):
        a, b = first[name], second[name]
        assert (a.value, a.baseline, a.detail) == (b.value, b.baseline, b.detail)


@pytest.mark.parametrize(
    "source", [BUSY_FLAGS, CHECK_THEN_TAKE], ids=["busy-flags", "check-then-take"]
)
def test_a_pool_without_a_lock_shares_a_connection(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail"
    double = metric_rows(result)["double_checkouts"]
    assert double.verdict == "fail" and double.value is not None and double.value > 0
    assert "was lent to request" in double.detail and "still using it" in double.detail


def test_swallowed_exceptions_are_wrong(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SWALLOWS)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: request ")
    assert "let the exception reach the caller" in result.message


def test_a_lock_lost_to_an_exception_is_reported_as_stuck(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LOCK_NEVER_RELEASED)
    assert result.verdict == "fail"
    assert "were still waiting for a connection" in result.message
    assert "last used by requests that raised" in result.message


def test_work_must_get_the_connection(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, FAKE_CONNECTION)
    assert result.verdict == "error"
    assert "handle() passed object to work, not a connection" in result.message


def test_answers_are_the_servers_own() -> None:
    """A keyed hash: one request's answer says nothing about another's."""
    bench = load_bench(LAB_DIR)
    key = bytes(range(16))
    answers = {bench.expected(key, request) for request in range(1_000, 1_100)}
    assert len(answers) > 95
    assert bench.expected(key, 1_234) != bench.expected(bytes(16), 1_234)


def test_profile_shows_the_waiting_for_the_server(lab: Lab) -> None:
    """Three answers to wait for per request (connect, query, close): the waits lead."""
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    top = report["rows"][0]
    assert "acquire" in top["function"]
    assert top["ncalls"] >= 3 * load_bench(LAB_DIR).PROFILED_REQUESTS


# Attempts to pass without fixing anything.


def test_switching_the_race_amplifier_off_is_an_error(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STOPS_THE_AMPLIFIER)
    assert result.verdict == "error"
    assert "this thread's trace function belongs to the check" in result.message
    assert result.where.startswith("service.py line")


def test_a_refused_settrace_leaves_the_amplifier_on(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STOPS_IT_QUIETLY)
    assert result.verdict == "fail"
    assert metric_rows(result)["double_checkouts"].verdict == "fail"
    assert any("trace ×" in note for note in result.notes)


def test_patching_the_driver_time_and_sys_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    """The driver closed over what it uses before service.py was imported."""
    result = check(lab, tmp_path, PATCHES_THE_DRIVER)
    assert result.verdict == "fail"
    double = metric_rows(result)["double_checkouts"]
    assert double.verdict == "fail" and double.value is not None and double.value > 0


def test_a_forged_result_and_an_early_exit_are_an_error(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, FORGED_RESULT)
    assert result.verdict == "error"
    assert "exited with status 0 before it replied" in result.message


def test_nothing_secret_is_on_the_stack(lab: Lab, tmp_path: Path) -> None:
    """No expected value or key above handle(): it falls through to the starter's way."""
    result = check(lab, tmp_path, STACK_WALK)
    assert result.verdict == "fail"
    assert metric_rows(result)["connects"].verdict == "fail"


def test_the_solution_cannot_be_read(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, READS_THE_SOLUTION)
    assert result.verdict == "error"
    assert "not allowed during a check" in result.message


def test_walking_the_object_graph_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, GC_WALK)
    assert result.verdict == "error"
    assert "gc.get_objects() is not allowed during a check" in result.message


def test_another_process_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SUBPROCESS)
    assert result.verdict == "error"
    assert "subprocess.Popen is not allowed" in result.message


def test_a_connection_made_without_connect_is_still_counted(lab: Lab, tmp_path: Path) -> None:
    """Every query names its connection to the server: sharing #1 is a double checkout."""
    result = check(lab, tmp_path, FORGED_CONNECTION)
    assert result.verdict == "fail"
    double = metric_rows(result)["double_checkouts"]
    assert double.verdict == "fail"
    assert "connection #1 was lent to request" in double.detail


def test_answers_remembered_across_batches_buy_nothing(lab: Lab, tmp_path: Path) -> None:
    """Every timed batch has fresh requests and a changed database: a memo never helps."""
    result = check(lab, tmp_path, MEMOISED)
    assert result.verdict == "fail"
    rows = metric_rows(result)
    assert rows["connects"].verdict == "fail"
    assert rows["speedup"].verdict != "pass"
