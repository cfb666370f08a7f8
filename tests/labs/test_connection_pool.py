"""The connection-pool lab through the real check: the starter fails, every pool the lesson
teaches passes, and each tempting broken pool fails with a message that says why."""

from __future__ import annotations

import functools
from pathlib import Path

from perfcoach.catalog import load_lesson
from perfcoach.catalog.goals import Goal
from perfcoach.catalog.lab import Lab
from perfcoach.labkit import Grade, LabContext, install_audit_hook
from perfcoach.runner.subject import load_module
from tests.helpers import check_source, load_bench, metric_rows

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


check = functools.partial(check_source, seed=SEED)


def grade_directly(lab: Lab, tmp_path: Path, source: str) -> Grade:
    """The bench's grade() in this process, with a speed goal that settles at once: for
    repeat runs, where the counted metrics are the point, not the timing."""
    install_audit_hook()
    folder = tmp_path / f"direct-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "service.py").write_text(source)
    goals = {m.name: m.goal for m in lab.metrics}
    goals["speedup"] = Goal.parse(">= 0.000001")
    bench = load_bench(LAB_DIR)
    candidate = load_module(folder / "service.py", f"candidate_{folder.name.replace('-', '_')}")
    baseline = load_module(LAB_DIR / "starter" / "service.py", "baseline_service")
    return bench.grade(candidate, baseline, LabContext(SEED, LAB_DIR, folder, goals))


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson = load_lesson(ROOT / "content" / "2-intermediate" / f"{lab.module}.md")
    assert lesson.level == lab.level == 2
    names = [m.name for m in lab.metrics]
    assert names == ["connects", "leaked_connections", "double_checkouts", "speedup"]
    assert all(m.deterministic for m in lab.metrics[:3])
    assert not lab.metrics[3].deterministic
    assert len(lab.hints) == 3
    brief = lab.brief_path.read_text()
    for command in ("start", "check", "hint", "profile"):
        assert f"perfcoach lab {command} connection-pool" in brief
    assert "perfcoach lab start connection-pool" in lesson.body


def test_starter_fails_connects_and_throughput(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STARTER)
    assert result.verdict == "fail"
    metrics = metric_rows(result)
    connects = metrics["connects"]
    assert connects.verdict == "fail"
    assert connects.value == connects.baseline == 240
    assert "240 handshakes, one per request" in connects.detail
    assert metrics["leaked_connections"].verdict == "pass"
    assert metrics["double_checkouts"].verdict == "pass"
    assert metrics["speedup"].verdict == "fail"
    assert any("one handshake per request" in note for note in result.notes)


def test_reference_queue_pool_passes(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SOLUTION)
    assert result.verdict == "pass", result.message
    metrics = metric_rows(result)
    assert metrics["connects"].value == 4
    assert metrics["leaked_connections"].value == 0
    assert metrics["double_checkouts"].value == 0


def test_eager_queue_pool_passes(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, EAGER_QUEUE)
    assert result.verdict == "pass", result.message


def test_semaphore_pool_with_a_context_manager_passes(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SEMAPHORE)
    assert result.verdict == "pass", result.message


def test_unbounded_pool_opens_a_connection_per_thread(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, UNBOUNDED)
    assert result.verdict == "fail"
    connects = metric_rows(result)["connects"]
    assert connects.verdict == "fail"
    assert connects.value is not None and connects.value > 4
    assert f"{connects.value:g} handshakes for a pool of 4" in connects.detail


def test_pool_without_finally_leaks_on_errors(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LEAKY)
    assert result.verdict == "fail"
    leaked = metric_rows(result)["leaked_connections"]
    assert leaked.verdict == "fail" and leaked.value == 3
    assert "raised OrderNotFound while holding one and never gave it back" in leaked.detail
    assert "finally" in leaked.detail


def test_busy_flags_without_a_lock_share_a_connection(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, BUSY_FLAGS)
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


def test_counted_metrics_repeat_exactly_for_a_seed(lab: Lab, tmp_path: Path) -> None:
    for source in (SOLUTION, LEAKY):
        first = grade_directly(lab, tmp_path, source)
        second = grade_directly(lab, tmp_path, source)
        for name in ("connects", "leaked_connections", "double_checkouts"):
            a, b = first.metrics[name], second.metrics[name]
            assert (a.value, a.baseline, a.detail) == (b.value, b.baseline, b.detail)
