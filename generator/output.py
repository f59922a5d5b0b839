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


def with_marker(files: Mapping[str, str | bytes]) -> dict[str, str | bytes]:
    """The tree `generate` writes: the rendered files and the marker that makes it alertgen's."""
    return {**files, MARKER: MARKER_TEXT}


class WriteFailed(OSError):
    """Writing the new tree failed (disk full, permissions); the previous output is unchanged.
    Its own type, so that an OSError of the run itself is never taken for one."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), error.filename)


class Staging:
    """The tree a run makes for `out`, filled as each of the run's jobs returns its files.

    Each file is compared with the one at `out` as it comes; when writing, a changed or new file
    goes at once into a temporary tree beside `out`, so that the run never holds every file's
    bytes. `finish` adds the marker, links the unchanged files in and swaps the tree in whole,
    only if anything changed. Leaving the `with` block removes the temporary tree, swapped or not.
    Write under `locked(out)`: another run's lock clears temporary trees.
    """

    def __init__(self, out: Path, *, write: bool) -> None:
        self.out = Path(os.path.realpath(out))
        self._have = existing_files(self.out)  # before the temporary tree exists (it may be inside)
        self._mounted = os.path.ismount(self.out)
        # A mount point cannot be renamed: the new tree is built inside it and its entries swapped.
        inside, beside = (
            self.out / f"{_NEW}-{os.getpid()}",
            self.out.parent / f".{self.out.name}.tmp-{os.getpid()}",
        )
        self.tmp = (inside if self._mounted else beside) if write else None
        self._changed: list[str] = []
        self._added: list[str] = []
        self._unchanged: list[str] = []

    def __enter__(self) -> Staging:
        self._discard()
        return self

    def __exit__(self, *exc: object) -> None:
        self._discard()

    def put(self, files: Mapping[str, str | bytes]) -> None:
        """Compare these files with `out`'s, and write the changed and new ones into the new tree."""
        try:
            for path, content in files.items():
                data = as_bytes(content)
                old = self._have.get(path)
                if old is None:
                    self._added.append(path)
                elif not is_regular(old) or old.read_bytes() != data:
                    self._changed.append(path)  # a FIFO or a link in its place is never read: it may not end
                else:
                    self._unchanged.append(path)
                    continue
                if self.tmp is not None:
                    self._file(path).write_bytes(data)
        except OSError as exc:
            raise WriteFailed(exc) from exc

    def finish(self) -> Drift:
        """What differs from `out` (the marker included); when writing and anything does, the new
        tree replaces `out`. A symlinked out folder stays a link: the tree it points to is replaced."""
        self.put({MARKER: MARKER_TEXT})
        paths = {*self._added, *self._changed, *self._unchanged}
        drift = Drift(sorted(self._changed), sorted(self._added), sorted(set(self._have) - paths))
        if self.tmp is None or not drift:
            return drift
        try:
            for path in self._unchanged:  # hard links keep the unchanged files' inode and mtime
                target = self._file(path)
                try:
                    os.link(self._have[path], target)
                except OSError:  # no hard links on this file system: the old bytes are the new
                    shutil.copyfile(self._have[path], target)
            if self._mounted:
                _swap_entries(self.tmp, self.out)
            else:
                _swap(self.tmp, self.out)
        except OSError as exc:
            raise WriteFailed(exc) from exc
        return drift

    def _file(self, path: str) -> Path:
        assert self.tmp is not None
        target = self.tmp / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _discard(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


def diff(out: Path, files: Mapping[str, str | bytes]) -> Drift:
    """Compare the tree at `out` with the rendered files (and the marker every tree carries)."""
    with Staging(out, write=False) as staging:
        staging.put(files)
        return staging.finish()


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output lock, the out folder's own: two runs must not interleave their writes.

    The lock is taken on the folder itself (created when missing), so no lock file is left beside
    it; a run that swapped a new tree in meanwhile is noticed and the new folder locked instead.
    """
    out = Path(os.path.realpath(out))
    for _ in range(5):
        try:
            _restore(out)
            created = not out.exists()
            out.mkdir(parents=True, exist_ok=True)
            fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise WriteFailed(exc) from exc
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
            try:
                yield
            finally:
                if created:  # a run that wrote nothing leaves no empty folder of its lock behind
                    with contextlib.suppress(OSError):
                        out.rmdir()
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
    """Make `out` hold exactly `files` and the marker; returns what changed. Call under `locked(out)`."""
    with Staging(out, write=True) as staging:
        staging.put(files)
        return staging.finish()


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
