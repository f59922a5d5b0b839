"""Deterministic, atomic output: a new tree is built beside output/ and swapped in whole.

A failure or a kill at any point leaves the previous output/ byte-identical: files are only
written into a temporary tree, which replaces output/ by one atomic exchange of directories
(renameat2 RENAME_EXCHANGE). Unchanged files are hard links to the old ones, so they keep
their inode and mtime; when nothing changed, nothing is touched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .outguard import MARKER, MARKER_TEXT

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputBusy(Exception):
    """Another alertgen run holds the output lock."""


@dataclass
class Drift:
    """How an output tree differs from what the specs generate."""

    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    def lines(self, *, written: bool = False) -> list[str]:
        """One line per drifted file: `changed:`, `missing:`, `stale:` as `--check` finds them;
        `updated:`, `added:`, `removed:` once `written` (a file just written is not missing)."""
        changed, added, removed = (
            ("updated", "added", "removed") if written else ("changed", "missing", "stale")
        )
        return (
            [f"{changed}: {p}" for p in self.changed]
            + [f"{added}: {p}" for p in self.added]
            + [f"{removed}: {p}" for p in self.removed]
        )


def existing_files(out: Path) -> dict[str, Path]:
    """Files under `out` by relative POSIX path."""
    if not out.is_dir():
        return {}
    found = {}
    for root, dirs, names in os.walk(out):
        dirs.sort()
        for name in names:
            full = Path(root) / name
            found[full.relative_to(out).as_posix()] = full
    return found


def is_regular(path: Path) -> bool:
    """Whether `path` is a regular file itself (not a link, FIFO or device, which may never end)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def as_bytes(content: str | bytes) -> bytes:
    """A file's content as the bytes written: text in UTF-8 (renderers' text, or already bytes)."""
    return content if isinstance(content, bytes) else content.encode()


def encoded(files: Mapping[str, str | bytes], release: bool = False) -> dict[str, bytes]:
    """The files as the bytes to write (in UTF-8). `release`: `files` is a dict this caller may
    empty, so that each text is freed as soon as it is encoded."""
    if not release or not isinstance(files, dict):
        return {path: as_bytes(content) for path, content in files.items()}
    out: dict[str, bytes] = {}
    for path in list(files):
        out[path] = as_bytes(files.pop(path))
    return out


def with_marker(files: Mapping[str, str | bytes]) -> dict[str, str | bytes]:
    """The tree `generate` writes: the rendered files and the marker that makes it alertgen's."""
    return {**files, MARKER: MARKER_TEXT}


def diff(out: Path, files: Mapping[str, str | bytes]) -> Drift:
    """Compare the tree at `out` with the rendered files (and the marker every tree carries)."""
    files = with_marker(files)
    have = existing_files(out)
    drift = Drift()
    for path in sorted(files):
        old = have.get(path)
        if old is None:
            drift.added.append(path)
        elif not is_regular(old) or old.read_bytes() != as_bytes(files[path]):
            drift.changed.append(path)  # a FIFO or a link in its place is never read: it may not end
    drift.removed = sorted(set(have) - set(files))
    return drift


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output lock, the out folder's own: two runs must not interleave their writes.

    The lock is taken on the folder itself (created when missing), so no lock file is left beside
    it; a run that swapped a new tree in meanwhile is noticed and the new folder locked instead.
    """
    out = Path(os.path.realpath(out))
    for _ in range(5):
        _restore(out)
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise OutputBusy(
                        f"another alertgen run is writing {out}; wait for it to finish and run again"
                    ) from None
                raise
            if os.stat(out).st_ino != os.fstat(fd).st_ino:
                continue  # swapped out while we waited: lock the folder that is there now
            _drop_temporary(out)
            _roll_back_inside(out)
            yield
            return
        finally:
            os.close(fd)  # closing releases the lock
    raise OutputBusy(f"other alertgen runs keep replacing {out}; wait for them to finish and run again")


def _restore(out: Path) -> None:
    """Put back an output/ that a run killed mid-swap left moved away (no atomic exchange there)."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists():
        olds[-1].rename(out)


def _drop_temporary(out: Path) -> None:
    """Drop what killed runs left beside output/: old trees and temporary trees."""
    parent = out.parent
    for stale in [*parent.glob(f".{out.name}.old-*"), *parent.glob(f".{out.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def write(out: Path, files: Mapping[str, str | bytes]) -> Drift:
    """Make `out` hold exactly `files` and the marker; returns what changed. Call under `locked(out)`.

    A symlinked out folder stays a link: the tree it points to is the one replaced.
    """
    out = Path(os.path.realpath(out))
    drift = diff(out, files)
    files = with_marker(files)
    if not drift:
        return drift
    have = existing_files(out)
    unchanged = set(files) - set(drift.changed) - set(drift.added)
    # A mount point cannot be renamed: the new tree is built inside it and its entries swapped.
    mounted = os.path.ismount(out)
    tmp = out / f"{_NEW}-{os.getpid()}" if mounted else out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for path, content in files.items():
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if path in unchanged:
                try:
                    os.link(have[path], target)
                    continue
                except OSError:
                    pass
            target.write_bytes(as_bytes(content))
        if mounted:
            _swap_entries(tmp, out)
        else:
            _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return drift


# Inside a mounted out folder: the tree being swapped in, and the previous one set aside.
_NEW, _OLD, _ASIDE = ".alertgen-new", ".alertgen-old", ".complete"


def _swap_entries(tmp: Path, out: Path) -> None:
    """Replace `out`'s entries by `tmp`'s: the old ones go aside first, then the new ones move in.

    Not one atomic step as the exchange of two folders is; a run killed in between leaves the old
    entries aside, and the next run puts them back before it writes (`_roll_back_inside`).
    """
    old = out / f"{_OLD}-{os.getpid()}"
    old.mkdir()
    for entry in sorted(out.iterdir()):
        if entry not in (tmp, old):
            entry.rename(old / entry.name)
    (old / _ASIDE).touch()  # every old entry is aside: from here on, `out` holds only new ones
    for entry in sorted(tmp.iterdir()):
        entry.rename(out / entry.name)
    shutil.rmtree(old)


def _roll_back_inside(out: Path) -> None:
    """Put back the tree a run killed while swapping the entries of a mounted out folder set aside."""
    olds = sorted(out.glob(f"{_OLD}-*"))
    if olds:
        old = olds[-1]
        if (old / _ASIDE).exists():  # new entries were moving in: take them out again
            for entry in out.iterdir():
                if not entry.name.startswith((_OLD, _NEW)):
                    _remove(entry)
            (old / _ASIDE).unlink()
        for entry in sorted(old.iterdir()):
            entry.rename(out / entry.name)
    for leftover in [*out.glob(f"{_OLD}-*"), *out.glob(f"{_NEW}-*")]:
        _remove(leftover)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink()


def write_file(path: Path, data: bytes) -> None:
    """Replace one file atomically: written beside it, then renamed over it (a full disk or a
    kill leaves the previous file whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _swap(tmp: Path, out: Path) -> None:
    if not out.exists():
        tmp.rename(out)
        return
    if _exchange(tmp, out):
        return  # tmp now holds the old tree; the caller removes it
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    res = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(res == 0)
