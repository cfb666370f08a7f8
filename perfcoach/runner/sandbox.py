"""What a subject process may see: the roots it can read, list, and the paths hidden from it.

A subject reads the Python installation (standard library, site-packages) and
perfcoach's own code, lists the folder perfcoach is imported from, and writes its own
temporary folder. Hidden even where those trees contain them: the content pack (lab
benches, drivers, starters, solutions, lessons), perfcoach.sim (the reference models
benches use) and PERFCOACH_HOME (progress.db, every workspace and backup).
"""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any, Required, TypedDict

import perfcoach
from perfcoach.catalog.lab import Lab
from perfcoach.paths import home_dir
from perfcoach.runner.contracts import GraderSpec

_SYSTEM = ("/usr", "/lib", "/lib64", "/etc", "/opt")


class ProbeFindings(TypedDict, total=False):
    """What a real subject found on this machine, for `perfcoach doctor`: the confinement
    keys (absent when the subject reported none), its answer and the CPU clock."""

    landlock_abi: int
    seccomp: bool
    pdeathsig: bool
    missing: list[str]
    answer: Required[Any]  # the driver's ping: 42 when the subject really ran
    cpu_clock: Required[bool]  # the kernel's CPU clock for the subject can be read


def read_roots() -> list[Path]:
    """Trees the subject may read: Python, its packages, perfcoach, the system libraries."""
    paths = sysconfig.get_paths()
    roots = {Path(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    prefixes = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        if path.is_dir() and any(p == path or p in path.parents for p in prefixes):
            roots.add(path)
    roots.add(Path(perfcoach.__file__).resolve().parent)
    roots.update(Path(p) for p in _SYSTEM if os.path.isdir(p))
    return sorted(_resolve_all(roots))


def list_roots() -> list[Path]:
    """Folders the subject may list but not read: where `import perfcoach` finds it."""
    return [Path(perfcoach.__file__).resolve().parent.parent]


def hidden(lab: Lab) -> list[Path]:
    """Paths no subject may read, even inside a readable tree."""
    pack = lab.root.parent.parent
    paths = [pack / name for name in ("labs", "content", "checklists")]
    paths.append(lab.root)
    paths.append(home_dir())
    paths.append(Path(perfcoach.__file__).resolve().parent / "sim")  # benches' reference models
    return sorted(_resolve_all(paths))


def _resolve_all(paths: set[Path] | list[Path]) -> set[Path]:
    return {Path(os.path.realpath(p)) for p in paths}


def probe() -> ProbeFindings:
    """Start one real subject with a trivial driver and report what confined it, as data:
    the truth for this machine, whatever the kernel claims to support."""
    from perfcoach.runner.grader import Grader, SubjectSpec

    with tempfile.TemporaryDirectory(prefix="perfcoach-probe-") as tmp:
        lab_dir = Path(tmp) / "probe"
        lab_dir.mkdir()
        (lab_dir / "driver.py").write_text("def ping(module):\n    return module.ANSWER\n")
        (lab_dir / "probe.py").write_text("ANSWER = 42\n")
        spec: GraderSpec = {
            "mode": "grade",
            "lab_dir": str(lab_dir),
            "files": ["probe.py"],
            "candidate_dir": str(lab_dir),
            "seed": 0,
            "goals": {},
            "plausible": {},
            "timed": False,
            "memory_bytes": 0,
            "read_roots": [str(p) for p in read_roots()],
            "list_roots": [str(p) for p in list_roots()],
            "hidden": [str(home_dir())],
            "time_all": True,
        }
        grader = Grader(spec)
        try:
            subject = grader.spawn(SubjectSpec("candidate", lab_dir, ("probe.py",)))
            reply = subject.call("ping")
            cpu_clock = subject.cpu_seconds() is not None
            if subject.confinement is None:
                return {"answer": reply.value, "cpu_clock": cpu_clock}
            return {**subject.confinement, "answer": reply.value, "cpu_clock": cpu_clock}
        finally:
            grader.close()
