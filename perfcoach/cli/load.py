"""`perfcoach load`: load test your own service with Locust and record it on an effort."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from perfcoach.cli import common
from perfcoach.errors import UsageError
from perfcoach.safetext import inert

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

    from perfcoach.measure.figures import LoadMeasurementFigures
    from perfcoach.measure.load import LoadPlan, OnProgress
    from perfcoach.measure.locust_results import LoadProgress

MAX_WORKER_WAIT_S = 3600
NARROW_COLUMNS = 100  # below this width the load table leaves out two columns


def load(
    effort_id: Annotated[
        str, typer.Argument(metavar="EFFORT", help="The effort, from 'perfcoach effort list'.")
    ],
    locustfile: Annotated[
        Path,
        typer.Option("--locustfile", "-f", help="Your Locust file (.py) with the users to run."),
    ],
    host: Annotated[
        str, typer.Option("--host", help="The service under test, e.g. http://127.0.0.1:8000.")
    ],
    users: Annotated[int, typer.Option("--users", "-u", help="Users at the peak.")] = 10,
    spawn_rate: Annotated[
        float, typer.Option("--spawn-rate", "-r", help="Users started per second.")
    ] = 1.0,
    run_time: Annotated[
        str, typer.Option("--run-time", "-t", help="How long to run, as Locust reads it: 30s, 2m.")
    ] = "1m",
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Run a Locust master and this many worker processes on this machine "
            "(0: one process). With --master-only: the workers to wait for.",
        ),
    ] = 0,
    master_only: Annotated[
        bool,
        typer.Option(
            "--master-only",
            help="Start only the master and wait for --workers workers started elsewhere "
            "(locust -f FILE --worker --master-host THIS-HOST --master-port PORT).",
        ),
    ] = False,
    master_bind: Annotated[
        str | None,
        typer.Option(
            "--master-bind",
            help="Interface the master listens on. Default: 127.0.0.1 for local workers, "
            "all interfaces with --master-only.",
        ),
    ] = None,
    master_port: Annotated[
        int | None,
        typer.Option(
            "--master-port",
            help="Port the master listens on. Default: a free port for local workers, "
            "5557 (Locust's) with --master-only.",
        ),
    ] = None,
    worker_wait: Annotated[
        int,
        typer.Option("--worker-wait", help="Seconds to wait for the workers to connect."),
    ] = 60,
) -> None:
    """Load test your service with Locust (headless) and record the results on EFFORT.

    Records requests per second, error rate and p50/p95/p99/p99.9 latency overall and per
    request name, with the users and duration, as evidence for the post checklist's
    load-test item (and validate-targets when the effort's p50/p95/p99/max goal is met
    under this load). Locust's own CSV and HTML files are kept under the perfcoach home.
    Locust runs in its own processes; Ctrl-C or SIGTERM stops them all and records nothing,
    as does a run that cannot start or makes no request (exit 1).
    """
    from perfcoach.cli.measure import print_recorded
    from perfcoach.console import console
    from perfcoach.efforts import record_load

    plan = _plan(
        effort_id, locustfile, host, users, spawn_rate, run_time, workers, master_only,
        master_bind, master_port, worker_wait,
    )  # fmt: skip
    out, err = console(), console(stderr=True)
    if plan.master_only:
        err.print(
            f"waiting up to {plan.worker_wait_s}s for {plan.workers} workers: on each "
            f"machine run  locust -f {plan.locustfile.name} --worker --master-host THIS-HOST "
            f"--master-port {plan.master_port}",
            markup=False,
        )
    try:
        with common.store() as db, err.status("starting Locust…") as status:
            recorded = record_load(db, common.pack(), effort_id, plan, _progress(status, plan))
    except KeyboardInterrupt:
        if plan.output_dir.is_dir():
            err.print(f"Locust's files of the stopped run: {plan.output_dir}", markup=False)
        raise
    _print_load(out, recorded.figures)
    print_recorded(out, recorded)
    out.print(f"report: perfcoach checklist export --effort {effort_id} --format md", markup=False)


def _plan(
    effort_id: str,
    locustfile: Path,
    host: str,
    users: int,
    spawn_rate: float,
    run_time: str,
    workers: int,
    master_only: bool,
    master_bind: str | None,
    master_port: int | None,
    worker_wait: int,
) -> LoadPlan:
    """Every option checked, with one line saying what is wrong (exit 2)."""
    from datetime import UTC, datetime

    from perfcoach.measure.load import (
        DEFAULT_MASTER_PORT,
        MAX_USERS,
        MAX_WORKERS,
        LoadPlan,
        check_host,
        check_locustfile,
        free_port,
        parse_run_time,
    )
    from perfcoach.paths import home_dir

    if not 1 <= users <= MAX_USERS:
        raise UsageError(f"--users must be from 1 to {MAX_USERS:,}, not {users}")
    if not (math.isfinite(spawn_rate) and 0 < spawn_rate <= MAX_USERS):
        raise UsageError(f"--spawn-rate must be more than 0 users per second, not {spawn_rate}")
    if not 0 <= workers <= MAX_WORKERS:
        raise UsageError(f"--workers must be from 0 to {MAX_WORKERS}, not {workers}")
    if master_only and workers < 1:
        raise UsageError("--master-only needs --workers K: the number of workers to wait for")
    if workers < 1 and (master_bind is not None or master_port is not None):
        raise UsageError("--master-bind and --master-port need --workers or --master-only")
    if master_port is not None and not 1 <= master_port <= 65535:
        raise UsageError(f"--master-port must be from 1 to 65535, not {master_port}")
    if not 1 <= worker_wait <= MAX_WORKER_WAIT_S:
        raise UsageError(f"--worker-wait must be from 1 to {MAX_WORKER_WAIT_S} seconds")
    seconds = parse_run_time(run_time)
    url = check_host(host)
    path = check_locustfile(locustfile)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%f")
    local_port = free_port() if workers and not master_only else DEFAULT_MASTER_PORT
    return LoadPlan(
        locustfile=path,
        host=url,
        users=users,
        spawn_rate=spawn_rate,
        run_time_s=seconds,
        workers=workers,
        master_only=master_only,
        master_bind=master_bind or ("*" if master_only else "127.0.0.1"),
        master_port=master_port or local_port,
        worker_wait_s=worker_wait,
        output_dir=home_dir() / "load" / f"{effort_id}-{stamp}",
    )


def _progress(status: Status, plan: LoadPlan) -> OnProgress:
    """A callback that shows Locust's latest history line on the spinner."""
    from perfcoach.numbers import seconds

    started: list[float] = []  # when users first ran: the average rate counts from there

    def show(elapsed_s: float, progress: LoadProgress | None) -> None:
        """Elapsed time, users, requests, failures, average rate and recent p50/p95."""
        if progress is None or not progress.users:
            waiting = "workers connecting" if plan.workers else "starting"
            status.update(f"{elapsed_s:.0f}s: Locust {waiting}…")
            return
        if not started:
            started.append(elapsed_s)
        running = elapsed_s - started[0]
        rate = f"{progress.requests / running:.1f} req/s avg" if running > 0 else "— req/s"
        p50 = seconds(progress.p50_s) if progress.p50_s is not None else "—"
        p95 = seconds(progress.p95_s) if progress.p95_s is not None else "—"
        status.update(
            f"{elapsed_s:.0f}s · {progress.users} users · {progress.requests:,} requests "
            f"({progress.failures:,} failed) · {rate} · p50 {p50} · p95 {p95} "
            f"(run time {plan.run_time_s}s)"
        )

    return show


def _print_load(out: Console, figures: LoadMeasurementFigures) -> None:
    """The run's summary, its table per request name, the goal and Locust's files."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from perfcoach.report.model import LOAD_COLUMNS, goal_result, load_rows, load_summary

    load = figures["load"]
    out.print(inert(f"load: {load_summary(load)}"), markup=False)
    # Figures never wrap, only request names fold; under NARROW_COLUMNS the failure count
    # (the error rate says it) and the maximum (p99.9 is near it) make room for the rest.
    narrow = out.width < NARROW_COLUMNS
    shown = [i for i, col in enumerate(LOAD_COLUMNS) if not (narrow and col in ("failed", "max"))]
    table = Table(expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for i in shown:
        col = LOAD_COLUMNS[i]
        if col == "request":
            table.add_column(col, overflow="fold", min_width=8)
        else:
            table.add_column(col, justify="right", no_wrap=True)
    for row in load_rows(load):
        cells = [row[i] for i in shown]
        table.add_row(Text(inert(cells[0])), *cells[1:])
    out.print(table)
    if figures["goal"]:
        out.print(f"goal under load: {goal_result(figures['goal'])}", markup=False)
    out.print(f"Locust's CSV and HTML files: {load['output_dir']}", markup=False)
