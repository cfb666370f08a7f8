"""Checks fork their grader from one pre-imported zygote, and the grader forks its subjects:
no interpreter starts per check, the subject inherits nothing of perfcoach or the grader,
and a zygote that died, or was started under other interpreter settings, is replaced."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from perfcoach.catalog import Lab, load_lab
from perfcoach.runner import CheckResult, run_check, zygote
from perfcoach.runner.child import child_env
from perfcoach.runner.subject import HARNESS_MODULES, SUBJECT_NAME
from tests.helpers import FIXTURE_PACK, copy_pack, descendants, edit, process_names

LINUX_ONLY = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="forks with pidfds")

REPORT = """
import os, stat, sys


def total(xs):
    fds = []
    for fd in range(1024):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        kind = "socket" if stat.S_ISSOCK(mode) else "pipe" if stat.S_ISFIFO(mode) else "?"
        fds.append((fd, kind))
    settings = sorted(name for name in os.environ if name.startswith("PERFCOACH"))
    home = os.getcwd() == os.environ["HOME"] == os.environ["TMPDIR"]
    ours = sorted(name for name in sys.modules if name.split(".")[0] == "perfcoach")
    try:
        import perfcoach.labkit
        bench_kit = "imported"
    except RuntimeError:
        bench_kit = "refused"
    raise RuntimeError(
        f"fds={fds} settings={settings} home={home} modules={ours} bench_kit={bench_kit}"
    )
"""


@pytest.fixture(scope="module")
def lab() -> Lab:
    return load_lab(FIXTURE_PACK / "labs" / "sum-lab")


def check(lab: Lab, tmp_path: Path, source: str | None = None) -> CheckResult:
    folder = tmp_path / "cand"
    folder.mkdir(exist_ok=True)
    solution = (lab.solution_dir / "work.py").read_text()
    (folder / "work.py").write_text(solution if source is None else source)
    return run_check(lab, folder, seed=3)


def _name(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


@LINUX_ONLY
def test_checks_in_a_row_fork_from_one_zygote(lab: Lab, tmp_path: Path) -> None:
    assert check(lab, tmp_path).verdict == "pass"
    first = zygote._current
    assert first is not None and first.alive
    assert _name(first.pid) == zygote.ZYGOTE_NAME
    assert check(lab, tmp_path).verdict == "pass"
    assert zygote._current is first


@LINUX_ONLY
def test_a_killed_zygote_is_replaced_at_the_next_check(lab: Lab, tmp_path: Path) -> None:
    assert check(lab, tmp_path).verdict == "pass"
    dead = zygote._current
    assert dead is not None
    os.kill(dead.pid, signal.SIGKILL)
    dead.proc.wait()
    assert check(lab, tmp_path).verdict == "pass"
    assert zygote._current is not None and zygote._current.pid != dead.pid
    assert dead.control.fileno() == -1  # its socket closed: a TUI session leaks no fds


@LINUX_ONLY
def test_other_interpreter_settings_start_another_zygote(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PYTHONHASHSEED and the like are read as an interpreter starts: a zygote started
    without them would fork graders unlike the ones Python would start now."""
    assert check(lab, tmp_path).verdict == "pass"
    before = zygote._current
    monkeypatch.setenv("PYTHONHASHSEED", "4321")
    assert check(lab, tmp_path).verdict == "pass"
    assert zygote._current is not before
    assert zygote._current is not None and zygote._current.startup_env["PYTHONHASHSEED"] == "4321"


@LINUX_ONLY
def test_a_forked_subject_holds_only_what_a_fresh_one_would(lab: Lab, tmp_path: Path) -> None:
    """A fork copies descriptors (the grader's spec and result pipes, perfcoach's control
    socket, the other subject's socket) and modules (the grader's, the bench kit's). The
    subject keeps its socket (stdin), the output pipe (stdout, stderr) and the pipe its
    harness makes to wake itself; none of perfcoach's settings, a folder of its own, and
    the harness's modules only: importing the bench kit is refused as in a fresh one."""
    result = check(lab, tmp_path, REPORT)
    assert result.verdict == "error"
    fds = [(0, "socket"), (1, "pipe"), (2, "pipe"), (3, "pipe"), (4, "pipe")]
    modules = sorted(HARNESS_MODULES)
    expected = f"fds={fds} settings=[] home=True modules={modules} bench_kit=refused"
    assert expected in result.message, result.message


def _subject_running() -> bool:
    return SUBJECT_NAME in process_names(descendants(os.getpid()))


@LINUX_ONLY
def test_a_ctrl_c_handled_on_another_thread_still_stops_the_wait(lab: Lab, tmp_path: Path) -> None:
    """The kernel hands a process's signal to any of its threads. Handled on the thread
    that reads the zygote's reports, it did not wake the main thread blocked on a lock
    until the check's time limit (in CI, Ctrl-C in `lab check` and `lab watch` was lost)."""
    folder = tmp_path / "stuck"
    folder.mkdir()
    (folder / "work.py").write_text("def total(xs):\n    while True:\n        pass\n")

    def interrupt() -> None:
        deadline = time.monotonic() + 30  # a check that ended first fails the test below
        while not _subject_running():
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        [reader] = [t for t in threading.enumerate() if t.name == "perfcoach-zygote"]
        assert reader.ident is not None
        signal.pthread_kill(reader.ident, signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    sender = threading.Thread(target=interrupt)
    sender.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_check(lab, folder, seed=3)
    finally:
        sender.join()
        signal.signal(signal.SIGINT, previous)
    assert not _subject_running()


@LINUX_ONLY
def test_a_wait_on_the_zygote_looks_again_without_being_woken(lab: Lab, tmp_path: Path) -> None:
    """What the test above needs, counted: a wait on the zygote's reports re-reads its
    condition in short slices, so what changed without a notify (a signal's flag, set on
    another thread) is seen; a plain Condition.wait_for would look twice in 10 s."""
    assert check(lab, tmp_path).verdict == "pass"
    current = zygote._current
    assert current is not None
    looks = 0

    def fifth_look() -> bool:
        nonlocal looks
        looks += 1
        return looks >= 5

    with current._changed:
        assert current._wait_for(fifth_look, 10)
    assert looks == 5


def test_without_forking_a_check_starts_its_grader_afresh(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no zygote (no pidfds, or it cannot fork), the grader is started as a
    new interpreter, as before, and grades the same."""
    monkeypatch.setattr("perfcoach.runner.child.zygote_for", lambda env: None)
    assert check(lab, tmp_path).verdict == "pass"
    failed = check(lab, tmp_path, REPORT)
    assert f"settings=[] home=True modules={sorted(HARNESS_MODULES)}" in failed.message


def _waiting_in(thread: threading.Thread, function: str) -> bool:
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == function:
            return True
        frame = frame.f_back
    return False


@LINUX_ONLY
def test_every_thread_waiting_for_a_grader_learns_how_it_ended(tmp_path: Path) -> None:
    """The TUI's check worker and its quit both wait for the grader they stop. The first
    used to take the zygote's report away from the second, which then waited forever (a
    hang seen in test_quitting_mid_check_kills_the_child, and in CI)."""
    env = child_env()
    forker = zygote.zygote_for(env)
    assert forker is not None
    stdin_r, stdin_w = os.pipe()
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    grader = forker.fork(str(tmp_path), env, (stdin_r, out_w, result_w), 2)
    for fd in (stdin_r, out_w, result_w):
        os.close(fd)
    codes: list[int | BaseException] = []

    def wait() -> None:
        try:
            codes.append(grader.wait(timeout=30))
        except BaseException as exc:
            codes.append(exc)

    waiters = [threading.Thread(target=wait) for _ in range(2)]
    for waiter in waiters:
        waiter.start()
    deadline = time.monotonic() + 30
    while not all(_waiting_in(waiter, "_wait_for") for waiter in waiters):
        assert time.monotonic() < deadline, "the waiters never started waiting"
        time.sleep(0.01)
    os.close(stdin_w)  # no spec: the grader ends at once, with an error
    for waiter in waiters:
        waiter.join()
    for fd in (out_r, result_r):
        os.close(fd)
    assert len(codes) == 2 and codes[0] == codes[1] and isinstance(codes[0], int), codes


WHICH_START = """
import sys


def total(xs):
    raise RuntimeError(f"argv={sys.argv[1:]}")  # a forked subject's is ["0"]
"""


@LINUX_ONLY
@pytest.mark.parametrize(("subjects", "started"), [(3, "['0']"), (2, "['0', '")])
def test_a_bench_spawns_as_many_forked_subjects_as_its_lab_declares(
    tmp_path: Path, subjects: int, started: str
) -> None:
    """A lab whose bench spawns a third process declares subjects = 3 and the grader forks
    it with the other two; with the default two, it starts an interpreter (whose argv
    carries its grader's pid), as sharding's PYTHONHASHSEED subjects still do."""
    folder = copy_pack(tmp_path) / "labs" / "sum-lab"
    edit(folder / "lab.toml", "timeout_s = 20", f"timeout_s = 20\nsubjects = {subjects}")
    edit(
        folder / "bench.py",
        "    mine = ctx.candidate.call(",
        '    ctx.spawn({}).call("total", xs)\n    mine = ctx.candidate.call(',
    )
    spawning = load_lab(folder)
    assert spawning.subjects == subjects
    result = check(spawning, tmp_path, WHICH_START)
    assert f"RuntimeError: argv={started}" in result.message, result.message


@LINUX_ONLY
def test_a_stuck_zygote_is_replaced_not_waited_for(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zygote that takes a request and never answers (stopped, here) used to hold the
    check forever; now the grader starts afresh once the zygote's time is up."""
    assert check(lab, tmp_path).verdict == "pass"
    stuck = zygote._current
    assert stuck is not None
    os.kill(stuck.pid, signal.SIGSTOP)
    monkeypatch.setattr(zygote, "STARTUP_S", 0.5)
    results: list[CheckResult] = []
    checking = threading.Thread(target=lambda: results.append(check(lab, tmp_path)), daemon=True)
    checking.start()
    checking.join(timeout=60)
    assert results and results[0].verdict == "pass"
    assert zygote._current is not stuck and not stuck.alive
