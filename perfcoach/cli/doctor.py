"""`perfcoach doctor`: is this machine ready, is the state healthy, can it be repaired."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer


def _writable(folder: Path) -> str | None:
    """Why perfcoach cannot keep its state in folder (None when it can)."""
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, not a folder (PERFCOACH_HOME must name a folder)"
    return None if os.access(probe, os.W_OK) else f"{probe} is not writable"


def _scalene_version() -> tuple[bool, str]:
    """Scalene runs as its own process in 'lab profile', so check it the same way."""
    import subprocess

    try:
        proc = subprocess.run(
            [sys.executable, "-m", "scalene", "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, "'python -m scalene --version' did not answer within 30s"
    if proc.returncode != 0:
        last = (proc.stderr or proc.stdout).strip().splitlines()
        return False, f"not usable: {last[-1] if last else f'exit code {proc.returncode}'}"
    return True, f"line profiles ({proc.stdout.strip()})"


def _sandbox(line: Callable[[bool, str, str], None], out: Any) -> None:
    """Start a real sandboxed subject and say which layers confined it (docs/grader.md)."""
    from perfcoach.runner.sandbox import probe

    try:
        found = probe()
    except Exception as exc:  # any failure to start a subject is the finding
        line(False, "sandbox", f"a sandboxed process could not start: {exc}")
        return
    line(found.get("answer") == 42, "sandbox", "a sandboxed subject ran and answered")

    def warn(what: str, detail: str) -> None:
        out.print(f"[yellow]warn[/] {what}: ", end="")
        out.print(detail, markup=False)

    abi = int(found.get("landlock_abi") or 0)
    if abi:
        line(True, "landlock", f"ABI {abi}: learner code writes only its own folder and cannot "
             "read the content pack or your perfcoach home")  # fmt: skip
    else:
        warn("landlock", "not available: files are guarded by the audit hook only, which "
             "C extensions can bypass (Linux 5.13+ has Landlock)")  # fmt: skip
    if found.get("seccomp"):
        line(True, "seccomp", "no new processes, exec, sessions or ptrace from learner code")
    else:
        warn("seccomp", "not available: new processes are refused by the audit hook only")
    if found.get("pdeathsig"):
        line(True, "parent-death signal", "checks end with perfcoach, even on SIGKILL")
    else:
        warn("parent-death signal", "not available: checks end with perfcoach on "
             "SIGTERM/SIGHUP, not on SIGKILL")  # fmt: skip
    if found.get("cpu_clock"):
        line(True, "cpu clock", "timing reads the subject's CPU clock from the kernel")
    else:
        warn("cpu clock", "the subject reports its own CPU time (weaker against tampering)")


def doctor(
    repair: Annotated[
        bool, typer.Option("--repair", help="Back up a broken progress.db and rebuild it.")
    ] = False,
) -> None:
    """Check Python, paths, the content pack, the progress DB and the profilers."""
    import importlib.util
    import platform

    from perfcoach import __version__
    from perfcoach.catalog import read_pack
    from perfcoach.console import console
    from perfcoach.paths import builtin_pack_root, db_path, home_dir
    from perfcoach.store import check_db, repair_db

    out = console()
    problems = 0

    def line(ok: bool, what: str, detail: str) -> None:
        nonlocal problems
        problems += 0 if ok else 1
        mark = "[green]ok[/]  " if ok else "[red]FAIL[/]"
        out.print(f"{mark} {what}: ", end="")
        out.print(detail, markup=False)

    line(sys.version_info >= (3, 11), "python", f"{platform.python_version()} ({sys.executable})")
    line(True, "perfcoach", __version__)
    home = home_dir()
    line(_writable(home) is None, "home", _writable(home) or str(home))
    pack = read_pack(builtin_pack_root())
    line(
        not pack.problems,
        "content pack",
        f"{pack.root}: {len(pack.labs)} labs, {len(pack.lessons)} lessons, "
        f"{len(pack.checklists)} checklists"
        + (f"; {len(pack.problems)} problem(s): {pack.problems[0]}" if pack.problems else ""),
    )
    db = db_path()
    db_problems = check_db(db)
    if db_problems and repair:
        report = repair_db(db)
        recovered = (
            ", ".join(
                f"{t} {n:,}" + (f" ({report.lost_rows[t]:,} lost)" if t in report.lost_rows else "")
                for t, n in report.recovered.items()
            )
            or "nothing"
        )
        line(
            True,
            "progress db",
            f"repaired: broken file kept at {report.backup}; "
            f"recovered {recovered}"
            + (f"; unreadable: {', '.join(report.lost_tables)}" if report.lost_tables else ""),
        )
    elif db_problems:
        line(False, "progress db", f"{db}: {db_problems[0]} (run 'perfcoach doctor --repair')")
    else:
        line(True, "progress db", f"{db}" + ("" if db.exists() else " (created on first use)"))
    for module, use in (
        ("cProfile", "function profiles"),
        ("tracemalloc", "allocation peaks"),
        ("memory_profiler", "peak RSS"),
    ):
        found = importlib.util.find_spec(module) is not None
        line(found, module, use if found else f"not installed: 'lab profile' loses {use}")
    ok, detail = _scalene_version()
    line(ok, "scalene", detail)
    _sandbox(line, out)
    if problems:
        raise typer.Exit(1)
