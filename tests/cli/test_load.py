"""`perfcoach load`: option checks, real Locust runs against a counting server on
127.0.0.1, what is recorded, and that no Locust process or port is left behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.efforts.goal import EffortGoal, check_load_goal
from perfcoach.measure.figures import LoadMeasurementFigures, LoadRequestsData
from perfcoach.measure.load import free_port, parse_run_time
from perfcoach.measure.locust_results import percentile_ms, read_final, read_progress
from perfcoach.store import Efforts, NewMeasurement, Store
from perfcoach.store.import_rules import figures as figures_rule
from tests.helpers import FIXTURE_PACK

MAX_REQUESTS = 20_000  # the server answers 503 past this: a runaway test stays bounded
DEADLINE_S = 60.0

LOCUSTFILE = """\
from locust import HttpUser, constant, task


class Visitor(HttpUser):
    wait_time = constant(0.02)

    @task(2)
    def home(self):
        self.client.get("/")

    @task
    def item(self):
        self.client.get("/item/1", name="/item/[id]")
"""


class CountingServer:
    """A tiny HTTP service on 127.0.0.1 that counts the requests it answered."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server.lock:
                    server.count += 1
                    over = server.count > MAX_REQUESTS
                self.send_response(503 if over else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def server() -> Iterator[CountingServer]:
    counting = CountingServer()
    thread = threading.Thread(target=counting.httpd.serve_forever, daemon=True)
    thread.start()
    yield counting
    counting.httpd.shutdown()
    counting.httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture
def locustfile(tmp_path: Path) -> Path:
    path = tmp_path / "visitors" / "locustfile.py"
    path.parent.mkdir()
    path.write_text(LOCUSTFILE)
    return path


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def locust_pids(locustfile: Path) -> list[int]:
    """Locust processes (master, workers, single runner) started on this test's file."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"locust" in cmdline and str(locustfile).encode() in cmdline:
            found.append(int(proc.name))
    return found


def wait_for(condition: object, what: str) -> None:
    """Poll until condition() is true; fail naming what never happened."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def assert_nothing_left(locustfile: Path, port: int | None = None) -> None:
    wait_for(lambda: not locust_pids(locustfile), "every Locust process to end")
    if port is not None:
        wait_for(lambda: port_is_free(port), f"port {port} to be free")


def perfcoach(*args: str) -> list[str]:
    return [sys.executable, "-m", "perfcoach", *args]


def cli_env(home: Path) -> dict[str, str]:
    return dict(os.environ, PERFCOACH_HOME=str(home), PERFCOACH_PACK=str(FIXTURE_PACK),
                COLUMNS="150")  # fmt: skip


def new_effort(home: Path, goal: str) -> None:
    done = subprocess.run(perfcoach("effort", "new", "api", "--goal", goal), env=cli_env(home),
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr


def recorded(home: Path) -> tuple[list[dict[str, object]], set[tuple[str, str]]]:
    """The load figures stored for effort api, and the items they are evidence for."""
    with Store.open(home / "progress.db") as db:
        efforts = Efforts(db)
        loads = [dict(m.figures) for m in efforts.measurements("api", "load")]
        links = {(e.checklist_id, e.item_id) for e in efforts.evidence("api")}
    return loads, links


# --- option checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--users", "0"], "--users must be from 1"),
        (["--spawn-rate", "0"], "--spawn-rate must be more than 0"),
        (["--spawn-rate", "-1"], "--spawn-rate must be more than 0"),
        (["--run-time", "2x"], "--run-time '2x' is not a duration"),
        (["--run-time", "0s"], "--run-time must be from 1s to 24h"),
        (["--run-time", "25h"], "--run-time must be from 1s to 24h"),
        (["--host", "127.0.0.1:8000"], "must be an http:// or https:// URL"),
        (["--host", "ftp://127.0.0.1"], "must be an http:// or https:// URL"),
        (["--host", "http://127.0.0.1:99999"], "has a bad port"),
        (["--locustfile", "missing.py"], "does not exist or is not a file"),
        (["--workers", "-1"], "--workers must be from 0"),
        (["--master-only"], "--master-only needs --workers K"),
        (["--master-port", "5557"], "need --workers or --master-only"),
        (["--workers", "2", "--master-port", "70000"], "--master-port must be from 1 to 65535"),
        (["--worker-wait", "0", "--workers", "1"], "--worker-wait must be from 1"),
    ],
)
def test_bad_options_are_one_line_usage_errors(
    runner: CliRunner, locustfile: Path, args: list[str], message: str
) -> None:
    assert runner.invoke(app, ["effort", "new", "api", "--goal", "p95 < 1s"]).exit_code == 0
    base = {"--locustfile": str(locustfile), "--host": "http://127.0.0.1:8000"}
    for flag in args[::2]:
        base.pop(flag, None)
    given = [item for pair in base.items() for item in pair]
    result = runner.invoke(app, ["load", "api", *given, *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (Path(os.environ["PERFCOACH_HOME"]) / "load").exists()


def test_a_locustfile_that_is_not_python_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("users")
    runner.invoke(app, ["effort", "new", "api", "--goal", "p95 < 1s"])
    result = runner.invoke(
        app, ["load", "api", "-f", str(notes), "--host", "http://127.0.0.1:8000"]
    )
    assert result.exit_code == 2 and "must be a Python file" in result.output


@pytest.mark.parametrize(
    ("text", "seconds"), [("30", 30), ("30s", 30), ("2m", 120), ("1h30m", 5400), ("1m5s", 65)]
)
def test_run_time_reads_like_locust(text: str, seconds: int) -> None:
    assert parse_run_time(text) == seconds


def test_load_help_says_what_is_recorded(runner: CliRunner) -> None:
    result = runner.invoke(app, ["load", "--help"])
    assert result.exit_code == 0
    for words in ("--locustfile", "--workers", "--master-only", "load-test", "p99.9"):
        assert words in result.output


# --- reading Locust's files ----------------------------------------------------------------


def test_percentiles_follow_locusts_rule() -> None:
    histogram = {10: 90, 200: 9, 3000: 1}  # ms → requests
    assert percentile_ms(histogram, 100, 0.5) == 10
    assert percentile_ms(histogram, 100, 0.95) == 200
    assert (
        percentile_ms(histogram, 100, 0.99) == 3000
    )  # at an exact boundary Locust takes the slower bucket
    assert percentile_ms(histogram, 100, 0.999) == 3000


def test_final_stats_merge_every_request_name(tmp_path: Path) -> None:
    def entry(name: str, times: dict[str, int], failures: int) -> dict[str, object]:
        return {"name": name, "method": "GET", "num_requests": sum(times.values()),
                "num_failures": failures, "max_response_time": 250.0,
                "response_times": times, "start_time": 100.0,
                "last_request_timestamp": 110.0}  # fmt: skip

    path = tmp_path / "locust.json"
    path.write_text(json.dumps([entry("/", {"5": 80}, 0), entry("/slow", {"250": 20}, 4)]))
    total, rows, span = read_final(path)
    assert span == 10.0
    assert (total["requests"], total["failures"]) == (100, 4)
    assert total["error_rate"] == pytest.approx(0.04)
    assert total["rps"] == pytest.approx(10.0)
    assert (total["p50_s"], total["p95_s"]) == (0.005, 0.25)
    assert [(r["name"], r["requests"]) for r in rows] == [("/", 80), ("/slow", 20)]


def test_progress_is_the_history_last_line(tmp_path: Path) -> None:
    history = tmp_path / "h.csv"
    assert read_progress(history) is None
    history.write_text(
        "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,"
        "Total Request Count,Total Failure Count\n"
        "1,0,,Aggregated,0.0,0.0,N/A,N/A,0,0\n"
        "2,8,,Aggregated,41.5,0.5,12,80,120,3\n"
    )
    progress = read_progress(history)
    assert progress is not None
    assert (progress.users, progress.requests, progress.failures) == (8, 120, 3)
    assert (progress.p50_s, progress.p95_s) == (0.012, 0.08)


def _total(p95_s: float, error_rate: float) -> LoadRequestsData:
    return {"name": "all", "method": "", "requests": 100, "failures": int(error_rate * 100),
            "error_rate": error_rate, "rps": 10.0, "p50_s": 0.01, "p95_s": p95_s,
            "p99_s": p95_s, "p999_s": p95_s, "max_s": p95_s}  # fmt: skip


def test_latency_goals_under_load() -> None:
    goal = EffortGoal("p95", "<", 0.2)
    met = check_load_goal(goal, _total(0.1, 0.0))
    assert met is not None and met["verdict"] == "met"
    missed = check_load_goal(goal, _total(0.3, 0.0))
    assert missed is not None and missed["verdict"] == "not met"
    failing = check_load_goal(goal, _total(0.1, 0.05))  # fast failures do not meet a goal
    assert failing is not None and failing["verdict"] == "unclear"
    assert check_load_goal(EffortGoal("wall", "<", 1.0), _total(0.1, 0.0)) is None


def load_figures() -> LoadMeasurementFigures:
    """A recorded load run, as `perfcoach load` stores it."""
    return {
        "load": {"locustfile": "/src/locustfile.py", "host": "http://127.0.0.1:8000",
                 "users": 10, "peak_users": 10, "spawn_rate": 5.0, "run_time_s": 60.0,
                 "duration_s": 59.5, "workers": 2, "output_dir": "/home/x/load/api-1",
                 "total": _total(0.1, 0.0), "requests": [_total(0.1, 0.0)]},
        "goal": None,
        "env": {"cwd": "/src", "host": "box", "platform": "Linux", "cpus": 2,
                "load_1m": 0.5, "git_commit": None},
    }  # fmt: skip


def test_import_accepts_load_figures_and_refuses_broken_ones() -> None:
    good = load_figures()
    assert figures_rule(good) == ""
    no_requests: dict[str, object] = {**good, "load": {**good["load"], "requests": None}}
    assert figures_rule(no_requests) == "load.requests must be a list"
    bad_total = {**good["load"]["total"], "p95_s": float("nan")}
    broken: dict[str, object] = {**good, "load": {**good["load"], "total": bad_total}}
    assert "load rows need finite" in figures_rule(broken)
    negative: dict[str, object] = {**good, "load": {**good["load"], "users": -1}}
    assert "load needs finite users" in figures_rule(negative)


def test_a_load_run_moves_with_progress_export_and_import(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(app, ["effort", "new", "api", "--goal", "p95 < 1s"]).exit_code == 0
    with Store.open() as db:
        Efforts(db).record_measurement(
            NewMeasurement("api", "load", "locust -f locustfile.py", 1, load_figures()),
            [("post", "load-test")],
            "measured by perfcoach (load)",
        )
    saved = tmp_path / "progress.json"
    assert runner.invoke(app, ["progress", "export", "-o", str(saved)]).exit_code == 0
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path / "elsewhere"))
    result = runner.invoke(app, ["progress", "import", str(saved)])
    assert result.exit_code == 0, result.output
    loads, links = recorded(tmp_path / "elsewhere")
    assert loads == [dict(load_figures())] and links == {("post", "load-test")}
    show = runner.invoke(app, ["effort", "show", "api"])
    assert "10.0 req/s, p95 100 ms" in show.output


# --- real runs -----------------------------------------------------------------------------


def test_master_and_two_workers_record_what_the_server_saw(
    tmp_path: Path, server: CountingServer, locustfile: Path
) -> None:
    home = tmp_path / "home"
    new_effort(home, "p95 < 5s")
    port = free_port()
    done = subprocess.run(
        perfcoach("load", "api", "-f", str(locustfile), "--host", server.url, "--users", "4",
                  "--spawn-rate", "4", "--run-time", "2s", "--workers", "2",
                  "--master-port", str(port)),
        env=cli_env(home), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert_nothing_left(locustfile, port)
    loads, links = recorded(home)
    assert len(loads) == 1
    load = loads[0]["load"]
    assert isinstance(load, dict)
    assert load["total"]["requests"] == server.count > 0
    assert sum(row["requests"] for row in load["requests"]) == server.count
    assert {row["name"] for row in load["requests"]} == {"/", "/item/[id]"}
    assert load["total"]["failures"] == 0
    assert (load["users"], load["peak_users"], load["workers"]) == (4, 4, 2)
    assert ("post", "load-test") in links and ("post", "validate-targets") in links
    assert f"{server.count:,}" in done.stdout
    assert "evidence for: post/load-test, post/validate-targets" in done.stdout
    files = Path(load["output_dir"])
    assert files.parent == home / "load"
    assert {"locust_stats.csv", "locust_stats_history.csv", "locust.html"} <= {
        p.name for p in files.iterdir()
    }


def test_one_process_run_and_the_report(
    tmp_path: Path, server: CountingServer, locustfile: Path
) -> None:
    home = tmp_path / "home"
    new_effort(home, "p95 < 1us")  # not met: the run proves load-test only
    done = subprocess.run(
        perfcoach("load", "api", "-f", str(locustfile), "--host", server.url, "-u", "2",
                  "-r", "2", "-t", "2s"),
        env=cli_env(home), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert_nothing_left(locustfile)
    loads, links = recorded(home)
    load = loads[0]["load"]
    assert isinstance(load, dict) and load["total"]["requests"] == server.count
    assert links == {("post", "load-test")}
    assert "goal under load: not met" in done.stdout
    for fmt, expected in [("md", "## Under load"), ("html", "<h2>Under load</h2>")]:
        report = subprocess.run(
            perfcoach("checklist", "export", "--effort", "api", "--format", fmt),
            env=cli_env(home), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert report.returncode == 0, report.stderr
        assert expected in report.stdout and "/item/[id]" in report.stdout.replace("\\", "")
    exported = subprocess.run(
        perfcoach("checklist", "export", "--effort", "api", "--format", "json"),
        env=cli_env(home), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    data = json.loads(exported.stdout)
    kinds = [m["kind"] for m in data["measurements"]]
    assert kinds == ["load"]
    assert data["measurements"][0]["figures"]["load"]["total"]["requests"] == server.count
    show = subprocess.run(perfcoach("effort", "show", "api"), env=cli_env(home),
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert show.returncode == 0 and "req/s" in show.stdout


def test_a_locustfile_that_fails_records_nothing(
    tmp_path: Path, server: CountingServer, locustfile: Path
) -> None:
    home = tmp_path / "home"
    new_effort(home, "p95 < 1s")
    locustfile.write_text("from locust import HttpUser\nthis is not python(\n")
    done = subprocess.run(
        perfcoach("load", "api", "-f", str(locustfile), "--host", server.url, "-t", "2s",
                  "--workers", "1"),
        env=cli_env(home), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: Locust did not run or made no request: SyntaxError: '(' was never closed; "
        "nothing was recorded"
    ]
    assert_nothing_left(locustfile)
    assert recorded(home) == ([], set())
    assert not any((home / "load").iterdir())


def test_a_refused_host_records_nothing(tmp_path: Path, locustfile: Path) -> None:
    home = tmp_path / "home"
    new_effort(home, "p95 < 1s")
    url = f"http://127.0.0.1:{free_port()}"
    args = perfcoach("load", "api", "-f", str(locustfile), "--host", url)
    done = subprocess.run(args, env=cli_env(home), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: cannot connect to {url}: Connection refused; " + (
        "nothing was recorded"
    )
    assert recorded(home) == ([], set())


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, -15)])
def test_ctrl_c_and_sigterm_stop_every_locust_process(
    tmp_path: Path, server: CountingServer, locustfile: Path, sig: signal.Signals, code: int
) -> None:
    home = tmp_path / "home"
    new_effort(home, "p95 < 1s")
    port = free_port()
    proc = subprocess.Popen(
        perfcoach("load", "api", "-f", str(locustfile), "--host", server.url, "-u", "2",
                  "-r", "2", "-t", "5m", "--workers", "2", "--master-port", str(port)),
        env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(lambda: server.count > 0, "the first request")
        assert len(locust_pids(locustfile)) == 3  # the master and two workers
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code
    assert "Traceback" not in stderr
    if sig == signal.SIGINT:
        assert "interrupted: nothing was recorded" in stderr
    assert_nothing_left(locustfile, port)
    assert recorded(home) == ([], set())


def test_master_only_waits_for_workers_started_elsewhere(
    tmp_path: Path, server: CountingServer, locustfile: Path
) -> None:
    home = tmp_path / "home"
    new_effort(home, "p95 < 5s")
    port = free_port()
    master = subprocess.Popen(
        perfcoach("load", "api", "-f", str(locustfile), "--host", server.url, "-u", "2",
                  "-r", "2", "-t", "2s", "--workers", "1", "--master-only",
                  "--master-bind", "127.0.0.1", "--master-port", str(port)),
        env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(locustfile), "--worker",
         "--master-host", "127.0.0.1", "--master-port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        stdout, stderr = master.communicate(timeout=120)
        worker.wait(timeout=60)
    finally:
        for proc in (master, worker):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert master.returncode == 0, stderr
    assert "waiting up to 60s for 1 workers" in stderr
    assert_nothing_left(locustfile, port)
    loads, _ = recorded(home)
    load = loads[0]["load"]
    assert isinstance(load, dict)
    assert load["total"]["requests"] == server.count > 0 and load["workers"] == 1
    assert "1 workers" in stdout and "evidence for: post/load-test" in stdout


# --- start-up paths ------------------------------------------------------------------------

IMPORTS = (
    "import sys; sys.argv = ['perfcoach', *sys.argv[1:]]\n"
    "from perfcoach.cli.launch import main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    print(sorted(m for m in ('locust', 'gevent') if m in sys.modules), file=sys.stderr)\n"
)


@pytest.mark.parametrize("args", [["--help"], ["load", "--help"], ["effort", "list"], []])
def test_locust_and_gevent_are_never_imported_on_start_up(tmp_path: Path, args: list[str]) -> None:
    env = dict(cli_env(tmp_path), PERFCOACH_EXIT_AFTER_FIRST_SCREEN="1")
    done = subprocess.run([sys.executable, "-c", IMPORTS, *args], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("width", [80, 120])
def test_the_load_table_keeps_every_figure_on_one_line(width: int) -> None:
    """At 80 columns the ten-column table used to wrap "0.00 %" and "180 ms" over two lines."""
    from rich.console import Console

    from perfcoach.cli.load import _print_load

    figures = load_figures()
    slow = {**_total(0.18, 0.0), "name": "/orders/[id]/items/[item]", "method": "GET"}
    figures["load"]["requests"] = [slow, {**_total(0.0235, 0.0), "name": "/", "method": "GET"}]
    out = Console(width=width, record=True, force_terminal=False)
    _print_load(out, figures)
    lines = out.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    table = "\n".join(lines)
    assert "180 ms" in table and "23.5 ms" in table and "0.00 %" in table
    (header,) = [line for line in lines if "p95" in line]
    assert ("max" in header.split()) == (width >= 100)
