"""Rendered files kept as their bytes in shared files, read when they are compared or written.

`generate` renders 84 MB at 10,000 alerts. Each file's bytes go into an anonymous shared file
as soon as it is rendered (`Spool`), its text freed; `Files` reads one back when it is compared
with output/ or written there, so no process holds them all. The forked share of the work
(generator/parallel.py) hands its files over that way: after them it writes where each lies and
the artifacts it read from them (`seal`), and the other process takes them over. Through a pipe,
or pickled and loaded back, both processes held the forked share's 51 MB at their peaks.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


def shared_file() -> int | None:
    """An anonymous file a forked process shares: a memfd (Linux), or an unlinked temporary file
    where there is none or a sandbox refuses it; None where files cannot be read and written at
    an offset, or unlinked while open (Windows), or no temporary file can be made (a full or
    read-only temporary folder): the bytes then stay in memory."""
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is not None:
        try:
            return int(memfd_create("alertgen-texts"))
        except OSError:
            pass
    if os.name != "posix" or not hasattr(os, "pwrite"):
        return None
    try:
        fd, path = tempfile.mkstemp(prefix="alertgen-texts-")
    except OSError:
        return None
    os.unlink(path)
    return fd


@dataclass(frozen=True, slots=True)
class Receipt:
    """Where a hand-over lies in the shared file: the files' bytes, then from `index_at` the index
    and the artifacts, to `size`."""

    index_at: int
    size: int


class Spool:
    """Files written into a shared file as they come, so that their bytes are never all held
    (kept in memory when there is no shared file: `fd` None)."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd
        self._index: dict[str, tuple[int, int]] = {}
        self._kept: dict[str, bytes] = {}
        self.end = 0

    def add(self, path: str, data: bytes) -> None:
        """Write one file's bytes; a path written twice is a bug of the renderers."""
        if path in self._index or path in self._kept:
            raise RuntimeError(f"two renderers write {path}")
        if self.fd is None:
            self._kept[path] = data
            return
        os.pwrite(self.fd, data, self.end)  # all of it: a shared file is a regular file, never short
        self._index[path] = (self.end, len(data))
        self.end += len(data)

    @property
    def index(self) -> dict[str, tuple[int, int]]:
        """Where each file lies: `(start, length)` by path."""
        return self._index

    def files(self) -> Files:
        """The files written so far, read from the shared file when asked for."""
        return Files(dict(self._kept), self.fd, self._index)


def seal(spool: Spool, parsed: dict[str, Any]) -> Receipt:
    """Write after the spooled files where each lies and the artifacts read from them: the
    hand-over is then complete, and the receipt says where it is."""
    if spool.fd is None:
        raise ValueError("a hand-over needs a shared file")
    trailer = pickle.dumps((spool.index, parsed), protocol=pickle.HIGHEST_PROTOCOL)
    os.pwrite(spool.fd, trailer, spool.end)
    return Receipt(spool.end, spool.end + len(trailer))


def take_over(fd: int, receipt: Receipt) -> tuple[Files, dict[str, Any]] | None:
    """What `seal` completed: the files (read on use) and the artifacts; None if it is not all
    there (this process then renders that share itself)."""
    trailer = os.pread(fd, receipt.size - receipt.index_at, receipt.index_at)
    if os.fstat(fd).st_size != receipt.size or len(trailer) != receipt.size - receipt.index_at:
        return None
    try:
        index, parsed = pickle.loads(trailer)
    except (EOFError, pickle.UnpicklingError):
        return None
    if any(start + length > receipt.index_at for start, length in index.values()):
        return None
    return Files({}, fd, index), parsed


class _Descriptor:
    """A duplicate of a shared file's descriptor, closed once no `Files` reads from it."""

    __slots__ = ("__weakref__", "fd")

    def __init__(self, fd: int) -> None:
        self.fd = os.dup(fd)
        weakref.finalize(self, os.close, self.fd)


class Files(Mapping[str, bytes]):
    """Output files by path as their bytes: some in memory, some in shared files until asked for.

    Iterates in path order, as `render.join` does.
    """

    def __init__(
        self,
        in_memory: dict[str, bytes],
        fd: int | None = None,
        index: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self._in_memory = in_memory
        self._stored: dict[str, tuple[_Descriptor, int, int]] = {}
        if fd is not None and index:
            shared = _Descriptor(fd)
            self._stored = {path: (shared, start, length) for path, (start, length) in index.items()}
        clash = self._in_memory.keys() & self._stored.keys()
        if clash:
            raise RuntimeError(f"two renderers write {min(clash)}")
        self._paths = sorted(self._in_memory.keys() | self._stored.keys())

    def plus(self, more: Mapping[str, bytes]) -> Files:
        """These files and `more`: bytes rendered in this process, or other `Files`."""
        joined = Files({**self._in_memory})
        joined._stored = {**self._stored}
        stored = more._stored if isinstance(more, Files) else {}
        in_memory = more._in_memory if isinstance(more, Files) else more
        for path in [*stored, *in_memory]:
            if path in joined:
                raise RuntimeError(f"two renderers write {path}")
        joined._stored.update(stored)
        joined._in_memory.update(in_memory)
        joined._paths = sorted([*joined._in_memory, *joined._stored])
        return joined

    def __getitem__(self, path: str) -> bytes:
        data = self._in_memory.get(path)
        if data is not None:
            return data
        shared, start, length = self._stored[path]
        return os.pread(shared.fd, length, start)

    def __contains__(self, path: object) -> bool:
        return path in self._in_memory or path in self._stored

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return len(self) == len(other) and all(path in other and other[path] == self[path] for path in self)

    __hash__ = None  # type: ignore[assignment]  # a mapping, like dict
