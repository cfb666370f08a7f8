"""A parsed pack kept on disk between runs: parsing every manifest, lesson and checklist
costs every command and the app's first screen tens of milliseconds; one pickle, a few.

The cache is keyed by the size and modification time of every file under the pack's
labs/, content/ and checklists/ and of the code that parses them, so an edited lesson, a
new lab or a new perfcoach is read afresh. A pack with problems is never cached: its
problems are reported from a fresh read every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path

from perfcoach.catalog.pack import Pack, read_pack

FORMAT = 1  # bump when what a Pack holds changes shape without its code changing
PACK_PARTS = ("labs", "content", "checklists")
CODE = Path(__file__).resolve().parent  # the catalog package: how a pack is parsed
SETTLE_NS = 2_000_000_000
# What unpickling a cut-short file, or one whose classes have since changed, can raise.
UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    ImportError,
    ValueError,
    TypeError,
    IndexError,
)

Entry = tuple[str, int, int]  # path, size, modification time (ns)
Key = tuple[int, str, tuple[Entry, ...]]


def cache_file(cache_dir: Path, root: Path) -> Path:
    """One cache file per pack root (tests and custom packs keep their own)."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"pack-{digest}.pickle"


def fingerprint(root: Path) -> Key:
    """What a cached pack must match: every pack file's and parser file's path, size and
    modification time (as build tools decide what to rebuild)."""
    entries: list[Entry] = []
    for base in [root / part for part in PACK_PARTS] + [CODE]:
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    stat = os.stat(path)
                    entries.append((path, stat.st_size, stat.st_mtime_ns))
    return (FORMAT, str(root.resolve()), tuple(entries))


def read_pack_cached(root: Path, cache_dir: Path) -> Pack:
    """The pack at root, from the cache when nothing it was read from has changed."""
    key = fingerprint(root)
    path = cache_file(cache_dir, root)
    cached = _load(path)
    if cached is not None and cached[0] == key and isinstance(cached[1], Pack):
        return cached[1]
    pack = read_pack(root)
    if not pack.problems and not _racy(key):
        _store(path, key, pack)
    return pack


def _racy(key: Key) -> bool:
    """Whether a file changed so recently that a second edit of the same size could still
    get the same modification time (the kernel's clock for them advances in ticks of a
    few milliseconds): such a pack is not cached until its files have settled."""
    newest = max((mtime for _, _, mtime in key[2]), default=0)
    return time.time_ns() - newest < SETTLE_NS


def _load(path: Path) -> tuple[object, object] | None:
    """The stored (key, pack), or None when there is none or it cannot be read (a file
    cut short, or written by a perfcoach whose classes have since changed)."""
    try:
        with path.open("rb") as stream:
            stored = pickle.load(stream)
    except UNREADABLE:
        return None
    if isinstance(stored, tuple) and len(stored) == 2:
        return stored[0], stored[1]
    return None


def _store(path: Path, key: Key, pack: Pack) -> None:
    """Write the cache atomically; a home that cannot be written only loses the speed-up."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pack-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            pickle.dump((key, pack), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
