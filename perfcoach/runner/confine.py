"""OS-level confinement of a subject process (Linux): Landlock, seccomp, parent-death signal.

Applied by the subject harness to itself, on its only thread, before the learner's module
is imported; each lasts for the life of the process and passes to every thread it starts.

- Landlock (kernel 5.13+): the process may read the Python installation and perfcoach's
  code, read and write its own temporary directory, and nothing else. Not the content
  pack (solutions, benches), not PERFCOACH_HOME (progress.db, other workspaces), not the
  user's files, not /proc. No TCP (ABI 4+), except binding port 0 for a lab whose service
  listens on loopback (lab.toml `serve_loopback`); no signals or abstract sockets outside itself
  (ABI 6+).
- seccomp: no new processes (fork, vfork, clone without CLONE_THREAD), no exec, no new
  session or process group, no ptrace or cross-process memory access. Threads still work.
- PR_SET_PDEATHSIG: the subject dies when the grader that started it dies.

Every step is best effort and reported: where the kernel lacks a feature, `Confinement`
says so and the audit-hook guard (runner/guard.py) remains as the portable layer.
ctypes is loaded only here and removed from sys.modules afterwards.
"""

from __future__ import annotations

import os
import platform
import signal
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfcoach.runner.contracts import ConfinementData

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

_SYS_LANDLOCK = (444, 445, 446)  # create_ruleset, add_rule, restrict_self: every arch
_LANDLOCK_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2

# Landlock filesystem rights, and the ABI version that introduced the later ones.
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_DIR_WRITE = sum(1 << n for n in range(4, 13))  # remove/make dir, file, char, sock, fifo, …
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_ONLY = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_NET_TCP = _NET_BIND_TCP | _NET_CONNECT_TCP
_SCOPES = (1 << 0) | (1 << 1)  # abstract unix sockets, signals

_ARCH = {
    # machine: (AUDIT_ARCH, syscalls refused with EPERM, clone, clone3)
    "x86_64": (
        0xC000003E,
        {"fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "setsid": 112,
         "setpgid": 109, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311},
        56,
        435,
    ),
    "aarch64": (
        0xC00000B7,
        {"execve": 221, "execveat": 281, "setsid": 157, "setpgid": 154, "ptrace": 117,
         "process_vm_readv": 270, "process_vm_writev": 271},
        220,
        435,
    ),
}  # fmt: skip
_CLONE_THREAD = 0x00010000
_X32_BIT = 0x40000000


@dataclass
class Confinement:
    """What was applied, and in words what was not (shown by doctor and in check notes)."""

    landlock_abi: int = 0
    seccomp: bool = False
    pdeathsig: bool = False
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> ConfinementData:
        """Plain data for the wire."""
        return {
            "landlock_abi": self.landlock_abi,
            "seccomp": self.seccomp,
            "pdeathsig": self.pdeathsig,
            "missing": list(self.missing),
        }


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when it has none (or this is not Linux)."""
    libc = _libc()
    if libc is None:
        return 0
    version = libc.syscall(_SYS_LANDLOCK[0], None, 0, _LANDLOCK_CREATE_RULESET_VERSION)
    return max(0, int(version))


def confine(
    read_roots: list[Path],
    list_roots: list[Path],
    write_root: Path,
    hidden: list[Path],
    expected_parent: int,
    serve_loopback: bool = False,
) -> Confinement:
    """Confine this process; call it on the only thread, before any untrusted import."""
    report = Confinement()
    libc = _libc()
    if libc is None:
        report.missing.append(
            f"{platform.system()} has no Landlock or seccomp: files and processes are "
            "guarded by the audit hook only"
        )
        _drop_ctypes()
        return report
    report.pdeathsig = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if expected_parent and os.getppid() != expected_parent:  # the grader died before this
        os._exit(70)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    abi = landlock_abi()
    if abi >= 1:
        try:
            _landlock(libc, abi, read_roots, list_roots, write_root, hidden, serve_loopback)
            report.landlock_abi = abi
        except OSError as exc:
            report.missing.append(f"Landlock could not be applied ({exc})")
    else:
        report.missing.append(
            "this kernel has no Landlock (Linux 5.13+): writes outside the work dir and "
            "reads of the content pack are refused by the audit hook only"
        )
    report.seccomp = _seccomp(libc)
    if not report.seccomp:
        report.missing.append(
            f"seccomp filter unavailable on {platform.machine()}: new processes are refused "
            "by the audit hook only"
        )
    _drop_ctypes()
    return report


def set_name(name: str) -> None:
    """Name this process as ps and top show it (15 characters): a forked grader or subject
    has the command line of the zygote it came from (runner/zygote.py), which says nothing.
    In a subject, call it before confine(), which forgets ctypes again."""
    libc = _libc()
    if libc is not None:
        libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def _libc():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    libc.syscall.restype = ctypes.c_long
    return libc


def _drop_ctypes() -> None:
    """Forget ctypes, so the learner's `import ctypes` goes through the audited import."""
    for name in [n for n in sys.modules if n == "ctypes" or n.startswith(("ctypes.", "_ctypes"))]:
        del sys.modules[name]


def _landlock(  # type: ignore[no-untyped-def]
    libc,
    abi: int,
    read_roots: list[Path],
    list_roots: list[Path],
    write_root: Path,
    hidden: list[Path],
    serve_loopback: bool,
) -> None:
    import ctypes

    fs = _EXECUTE | _WRITE_FILE | _READ_FILE | _READ_DIR | _DIR_WRITE
    if abi >= 2:
        fs |= _REFER
    if abi >= 3:
        fs |= _TRUNCATE
    if abi >= 5:
        fs |= _IOCTL_DEV
    if abi >= 6:
        attr = struct.pack("=QQQ", fs, _NET_TCP, _SCOPES)
    elif abi >= 4:
        attr = struct.pack("=QQ", fs, _NET_TCP)
    else:
        attr = struct.pack("=Q", fs)
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(_SYS_LANDLOCK[0], buf, len(attr), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        read = _READ_FILE | _READ_DIR
        write = fs & ~_EXECUTE & ~_REFER
        for root in read_roots:
            _allow_except(libc, ruleset, root, read, hidden)
        for root in list_roots:
            _rule(libc, ruleset, root, _READ_DIR)
        _rule(libc, ruleset, write_root, write)
        if serve_loopback and abi >= 4:
            _bind_port_zero(libc, ruleset)
        devnull = Path(os.devnull)
        if devnull.exists():
            _rule(libc, ruleset, devnull, _READ_FILE | _WRITE_FILE)
        if libc.syscall(_SYS_LANDLOCK[2], ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)


def _bind_port_zero(libc, ruleset: int) -> None:  # type: ignore[no-untyped-def]
    """Let a lab's service bind TCP port 0 (a free port the kernel picks), nothing else:
    no fixed port, and no connect at all (the audit hook adds: on 127.0.0.1 only)."""
    import ctypes

    attr = struct.pack("=QQ", _NET_BIND_TCP, 0)
    buf = ctypes.create_string_buffer(attr, len(attr))
    if libc.syscall(_SYS_LANDLOCK[1], ruleset, _RULE_NET_PORT, buf, 0) != 0:
        raise OSError(ctypes.get_errno(), "landlock_add_rule failed for TCP port 0")


def _allow_except(libc, ruleset: int, root: Path, access: int, hidden: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """Grant access to root's whole tree, except the hidden paths inside it.

    Landlock rules only add rights, so a tree holding a hidden path is granted listing
    only, and each child is granted on its own, recursing toward the hidden path.
    """
    inside = [h for h in hidden if h == root or root in h.parents]
    if not inside:
        _rule(libc, ruleset, root, access)
        return
    if root in inside:
        return
    _rule(libc, ruleset, root, _READ_DIR)
    try:
        children = list(root.iterdir())
    except OSError:
        return
    for child in children:
        _allow_except(libc, ruleset, child, access, hidden)


def _rule(libc, ruleset: int, path: Path, access: int) -> None:  # type: ignore[no-untyped-def]
    import ctypes

    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path that does not exist needs no rule
    try:
        if not os.path.isdir(path):
            access &= _FILE_ONLY
        if not access:
            return
        attr = struct.pack("=Qi", access, fd)
        buf = ctypes.create_string_buffer(attr, len(attr))
        if libc.syscall(_SYS_LANDLOCK[1], ruleset, _RULE_PATH_BENEATH, buf, 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)


def _seccomp(libc) -> bool:  # type: ignore[no-untyped-def]
    """Refuse new processes, exec, sessions and ptrace with EPERM; threads stay allowed."""
    import ctypes

    arch = _ARCH.get(platform.machine())
    if arch is None:
        return False
    audit_arch, refused, clone, clone3 = arch
    eperm, enosys, allow = 0x00050000 | 1, 0x00050000 | 38, 0x7FFF0000
    ld_w_abs, jeq_k, jge_k, jset_k, ret_k = 0x20, 0x15, 0x35, 0x45, 0x06
    prog: list[tuple[int, int, int, int]] = [
        (ld_w_abs, 0, 0, 4),  # seccomp_data.arch
        (jeq_k, 1, 0, audit_arch),
        (ret_k, 0, 0, allow),  # another ABI: not ours to filter
        (ld_w_abs, 0, 0, 0),  # seccomp_data.nr
        (jge_k, 0, 1, _X32_BIT),
        (ret_k, 0, 0, eperm),  # x32 calls: refused wholesale
    ]
    for number in refused.values():
        prog += [(jeq_k, 0, 1, number), (ret_k, 0, 0, eperm)]
    # clone3 keeps its flags in memory a filter cannot read: ENOSYS makes glibc fall
    # back to clone, whose flags are checked below.
    prog += [(jeq_k, 0, 1, clone3), (ret_k, 0, 0, enosys)]
    prog += [
        (jeq_k, 0, 4, clone),  # not clone: jump to the final allow
        (ld_w_abs, 0, 0, 16),  # seccomp_data.args[0], low word: the clone flags
        (jset_k, 0, 1, _CLONE_THREAD),
        (ret_k, 0, 0, allow),  # a new thread
        (ret_k, 0, 0, eperm),  # a new process
        (ret_k, 0, 0, allow),
    ]
    filters = b"".join(struct.pack("=HBBI", *ins) for ins in prog)
    buf = ctypes.create_string_buffer(filters, len(filters))
    fprog = struct.pack("=HxxxxxxQ", len(prog), ctypes.addressof(buf))
    fbuf = ctypes.create_string_buffer(fprog, len(fprog))
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fbuf, 0, 0) == 0
