"""The child process that runs a lab's bench against learner code and writes one JSON result.

Run as `python -m perfcoach.runner.sandbox SPEC.json`. It limits its own memory
before importing anything the learner wrote, deletes the spec, and reports every
outcome (grade, profile, exception, MemoryError) as data, so the parent never has to
parse a traceback.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

MODES = ("grade", "workload", "cprofile", "memory")
TOP_N = 15


def load_module(path: Path, name: str) -> ModuleType:
    """Import a .py file under a chosen module name, so candidate and baseline never collide."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _limit(memory_bytes: int) -> None:
    """Cap the address space. CPU is bounded by the parent's wall-clock kill instead: an
    RLIMIT_CPU makes Linux count this process's CPU time in 4 ms scheduler ticks, which
    would ruin every CPU-time measurement the bench takes."""
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _error(kind: str, exc: BaseException, learner_files: list[Path]) -> dict[str, Any]:
    """An error report whose location points into the learner's file when possible."""
    frames = traceback.extract_tb(exc.__traceback__)
    names = {str(p) for p in learner_files}
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f"{Path(exc.filename).name} line {exc.lineno}"
    else:
        for frame in reversed(frames):
            if frame.filename in names:
                where = f"{Path(frame.filename).name} line {frame.lineno}, in {frame.name}"
                break
    lines = traceback.format_exception(exc)
    tail = "".join(lines)[-2500:]
    summary = "".join(traceback.format_exception_only(exc)).strip().splitlines()
    return {
        "status": kind,
        "exception": type(exc).__name__,
        "message": summary[-1] if summary else type(exc).__name__,
        "where": where,
        "traceback": tail,
    }


def _context(spec: dict[str, Any]) -> Any:
    from perfcoach.catalog.goals import Goal
    from perfcoach.labkit import LabContext

    goals = {name: Goal.parse(text) for name, text in spec["goals"].items()}
    return LabContext(spec["seed"], Path(spec["lab_dir"]), Path.cwd(), goals)


def _run(spec: dict[str, Any], learner: list[Path]) -> dict[str, Any]:
    from perfcoach.labkit import Grade, WrongAnswer, install_audit_hook

    install_audit_hook()
    lab_dir = Path(spec["lab_dir"])
    bench = load_module(lab_dir / "bench.py", "perfcoach_lab_bench")
    main_file = spec["files"][0]
    stem = Path(main_file).stem
    candidate = load_module(Path(spec["candidate_dir"]) / main_file, f"candidate_{stem}")
    ctx = _context(spec)
    mode = spec["mode"]
    if mode == "grade":
        baseline = load_module(lab_dir / "starter" / main_file, f"baseline_{stem}")
        try:
            grade = bench.grade(candidate, baseline, ctx)
        except WrongAnswer as exc:
            grade = Grade(correct=False, message=str(exc))
        if not isinstance(grade, Grade):
            raise TypeError(f"bench.grade returned {type(grade).__name__}, not Grade")
        return {"status": "ok", "grade": grade.to_json()}
    run = bench.workload(candidate, ctx)
    if not callable(run):
        raise TypeError("bench.workload must return a zero-argument callable to profile")
    if mode == "workload":
        run()
        return {"status": "ok"}
    from perfcoach.measure import profilers

    if mode == "cprofile":
        return {"status": "ok", "profile": profilers.cprofile_top(run, learner, TOP_N)}
    return {"status": "ok", "profile": profilers.memory_report(run, learner, TOP_N)}


def main(argv: list[str]) -> int:
    """Read the spec, run it, write the result; the exit code only says 'result written'."""
    spec_path = Path(argv[0])
    spec = json.loads(spec_path.read_text())
    spec_path.unlink()
    result_path = Path(spec["result_path"])
    learner = [Path(spec["candidate_dir"]) / name for name in spec["files"]]
    _limit(spec.get("memory_bytes", 0))
    try:
        result = _run(spec, learner)
    except MemoryError as exc:
        result = _error("oom", exc, learner)
    except SyntaxError as exc:
        result = _error("error", exc, learner)
    except SystemExit as exc:
        result = _error("error", RuntimeError(f"the code called sys.exit({exc.code!r})"), learner)
    except RecursionError as exc:
        result = _error("error", exc, learner)
    except BaseException as exc:  # every learner failure becomes a verdict
        result = _error("error", exc, learner)
    tmp = result_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, default=str))
    os.replace(tmp, result_path)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
