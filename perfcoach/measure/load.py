"""Load runs: Locust, headless, against the learner's own service, in child processes.

Locust runs as `python -m locust` (the same environment as perfcoach), never imported here,
so perfcoach's own process is never monkey-patched by gevent. Every Locust process (one
local runner, or a master and its local workers) has its own process group, is registered
with perfcoach.processes (SIGTERM and a closed terminal stop it) and dies with perfcoach
(PR_SET_PDEATHSIG). A run that is stopped or fails to start records nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from perfcoach import processes
from perfcoach.errors import PerfcoachError, UsageError
from perfcoach.measure.figures import LoadRunData
from perfcoach.measure.locust_results import LoadProgress, peak_users, read_final, read_progress

MAX_RUN_TIME_S = 86_400
MAX_USERS = 1_000_000
MAX_WORKERS = 256
CONNECT_TIMEOUT_S = 3.0
STOP_TIMEOUT_S = 10  # users finish the request they are in, so every sent request is counted
POLL_S = 0.5
DEFAULT_MASTER_PORT = 5557  # Locust's own default: remote workers find the master there
_RUN_TIME = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
_PR_SET_PDEATHSIG = 1
_LOG_TAIL = 4096

OnProgress = Callable[[float, LoadProgress | None], None]


class LoadFailed(PerfcoachError):
    """Locust did not start, or made no request: nothing was recorded."""


@dataclass(frozen=True)
class LoadPlan:
    """A validated load run: what Locust is told, and where its files go."""

    locustfile: Path
    host: str
    users: int
    spawn_rate: float
    run_time_s: int
    workers: int  # local worker processes; with master_only, the remote workers awaited
    master_only: bool
    master_bind: str
    master_port: int
    worker_wait_s: int
    output_dir: Path

    def command_text(self) -> str:
        """The run as one line, stored as the measurement's command."""
        parts = [
            f"locust -f {self.locustfile} --host {self.host} --users {self.users}",
            f"--spawn-rate {self.spawn_rate:g} --run-time {self.run_time_s}s",
        ]
        if self.master_only:
            parts.append(f"--master --expect-workers {self.workers}")
        elif self.workers:
            parts.append(f"--workers {self.workers}")
        return " ".join(parts)


def parse_run_time(text: str) -> int:
    """Seconds in Locust's --run-time syntax: 20, 20s, 3m, 1h30m, 1h20m10s."""
    text = text.strip()
    if text.isdigit():
        seconds = int(text)
    else:
        match = _RUN_TIME.match(text)
        if not text or match is None:
            raise UsageError(
                f"--run-time {text!r} is not a duration: use seconds or Locust's form "
                "(30, 30s, 2m, 1h30m)"
            )
        seconds = int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)
    if not 1 <= seconds <= MAX_RUN_TIME_S:
        raise UsageError(f"--run-time must be from 1s to 24h, not {text!r}")
    return seconds


def check_host(host: str) -> str:
    """An http(s) URL with a host name; the trailing slash dropped, as Locust joins paths."""
    parts = urlsplit(host)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--host {host!r} must be an http:// or https:// URL, e.g. http://127.0.0.1:8000"
        )
    try:
        _ = parts.port
    except ValueError:
        raise UsageError(f"--host {host!r} has a bad port") from None
    return host.rstrip("/")


def check_locustfile(path: Path) -> Path:
    """A Python file that exists; Locust itself reports what is wrong inside it."""
    if not path.is_file():
        raise UsageError(f"--locustfile {path} does not exist or is not a file")
    if path.suffix != ".py":
        raise UsageError(f"--locustfile {path} must be a Python file (.py)")
    return path.resolve()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_load(plan: LoadPlan, on_progress: OnProgress | None = None) -> LoadRunData:
    """Run Locust as planned and return its figures; LoadFailed when it could not run.

    Ctrl-C (KeyboardInterrupt) stops every Locust process and propagates: nothing is
    recorded, and Locust's files so far stay in plan.output_dir.
    """
    if importlib.util.find_spec("locust") is None:
        raise LoadFailed(
            f"Locust is not installed in {sys.prefix}: pip install 'locust>=2.30'; "
            "nothing was recorded"
        )
    if not plan.master_only:
        _check_reachable(plan.host)
    plan.output_dir.mkdir(parents=True, exist_ok=True)
    try:
        master = _start(_master_argv(plan), plan.output_dir / "locust.log")
    except OSError as exc:
        raise LoadFailed(f"cannot start Locust: {exc.strerror}; nothing was recorded") from None
    procs = [master]
    with contextlib.ExitStack() as registered:
        registered.enter_context(processes.registered(master))
        try:
            if not plan.master_only:
                for i in range(plan.workers):
                    log = plan.output_dir / f"worker-{i + 1}.log"
                    procs.append(_start(_worker_argv(plan), log))
                    registered.enter_context(processes.registered(procs[-1]))
            _wait(plan, procs, on_progress)
        finally:
            # only those still running: a reaped pid may already name another process
            processes.stop([proc for proc in procs if proc.poll() is None])
    return _results(plan, master.returncode)


def _check_reachable(host: str) -> None:
    """A refused or unknown host fails before Locust starts, in one line."""
    parts = urlsplit(host)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise LoadFailed(f"cannot connect to {host}: {why}; nothing was recorded") from None


def _master_argv(plan: LoadPlan) -> list[str]:
    """Locust, headless, writing CSV, HTML and final JSON into the output directory."""
    out = plan.output_dir
    argv = [
        sys.executable, "-m", "locust",
        "--locustfile", str(plan.locustfile),
        "--headless",
        "--host", plan.host,
        "--users", str(plan.users),
        "--spawn-rate", f"{plan.spawn_rate:g}",
        "--run-time", f"{plan.run_time_s}s",
        "--stop-timeout", str(STOP_TIMEOUT_S),
        "--csv", str(out / "locust"),
        "--html", str(out / "locust.html"),
        "--json-file", str(out / "locust"),
        "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    if plan.workers:
        argv += [
            "--master",
            "--master-bind-host", plan.master_bind,
            "--master-bind-port", str(plan.master_port),
            "--expect-workers", str(plan.workers),
            "--expect-workers-max-wait", str(plan.worker_wait_s),
        ]  # fmt: skip
    return argv


def _worker_argv(plan: LoadPlan) -> list[str]:
    """A local worker joining the master on 127.0.0.1."""
    return [
        sys.executable, "-m", "locust",
        "--locustfile", str(plan.locustfile),
        "--worker",
        "--master-host", "127.0.0.1",
        "--master-port", str(plan.master_port),
        "--loglevel", "WARNING",
    ]  # fmt: skip


def _die_with_parent() -> None:
    """In the child before exec: the kernel kills it if perfcoach dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    """One Locust process in its own group, its output in log."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    return proc


def _wait(
    plan: LoadPlan, procs: list[subprocess.Popen[bytes]], on_progress: OnProgress | None
) -> None:
    """Poll until the master exits, showing progress; local workers follow it out."""
    master = procs[0]
    history = plan.output_dir / "locust_stats_history.csv"
    start = time.monotonic()
    deadline = start + plan.run_time_s + plan.worker_wait_s + 4 * STOP_TIMEOUT_S
    while master.poll() is None:
        if time.monotonic() > deadline:
            raise LoadFailed(
                f"Locust ran {time.monotonic() - start:.0f}s, well past --run-time "
                f"{plan.run_time_s}s, and was stopped; nothing was recorded"
            )
        if on_progress is not None:
            on_progress(time.monotonic() - start, read_progress(history))
        with contextlib.suppress(subprocess.TimeoutExpired):
            master.wait(timeout=POLL_S)
    for worker in procs[1:]:
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=STOP_TIMEOUT_S)


def _results(plan: LoadPlan, returncode: int | None) -> LoadRunData:
    """The run's figures, or LoadFailed (and its directory removed) when it made no request."""
    final = plan.output_dir / "locust.json"
    if final.is_file():
        total, rows, span_s = read_final(final)
        if total["requests"]:
            return {
                "locustfile": str(plan.locustfile),
                "host": plan.host,
                "users": plan.users,
                "peak_users": peak_users(plan.output_dir / "locust_stats_history.csv"),
                "spawn_rate": plan.spawn_rate,
                "run_time_s": plan.run_time_s,
                "duration_s": span_s,
                "workers": plan.workers,
                "output_dir": str(plan.output_dir),
                "total": total,
                "requests": rows,
            }
    why = _last_line(plan.output_dir / "locust.log") or f"Locust exited with status {returncode}"
    shutil.rmtree(plan.output_dir, ignore_errors=True)
    raise LoadFailed(f"Locust did not run or made no request: {why}; nothing was recorded")


def _last_line(log: Path) -> str:
    """The last line Locust wrote (its error, when it failed), without its log prefix."""
    try:
        with log.open("rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - _LOG_TAIL))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    return re.sub(r"^\[[^\]]*\] [^:]*: ", "", lines[-1])
