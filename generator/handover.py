"""Files a forked process hands over: their bytes in a shared file, read when they are written.

The forked share of `generate` (generator/parallel.py) renders 51 MB at 10,000 alerts. It writes
each file's bytes into an anonymous shared file, freeing the text, then an index of where each
lies and the artifacts it read from them. The other process never loads them all: `Files` reads
one from the shared file when it is compared with output/ or written there. Through a pipe, or
pickled into the shared file and loaded back, both processes held all 51 MB at their peaks.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


def shared_file() -> int:
    """An anonymous file a forked process shares: a memfd, or an unlinked temporary file where a
    sandbox refuses memfd_create."""
    try:
        return os.memfd_create("alertgen-texts")
    except OSError:
        fd, path = tempfile.mkstemp(prefix="alertgen-texts-")
        os.unlink(path)
        return fd


@dataclass(frozen=True, slots=True)
class Receipt:
    """Where a hand-over lies in the shared file: the files' bytes, then from `index_at` the index
    and the artifacts, to `size`."""

    index_at: int
    size: int


def hand_over(fd: int, files: dict[str, str], parsed: dict[str, Any]) -> tuple[Receipt, Files]:
    """Write `files` (emptying the dict, so that each text is freed once written) and the artifacts
    read from them to the shared file; where they lie, and the files as read from there."""
    index: dict[str, tuple[int, int]] = {}
    offset = 0
    while files:
        path, text = files.popitem()
        data = text.encode()
        del text
        os.pwrite(fd, data, offset)  # all of it: a shared file is a regular file, never short
        index[path] = (offset, len(data))
        offset += len(data)
    trailer = pickle.dumps((index, parsed), protocol=pickle.HIGHEST_PROTOCOL)
    os.pwrite(fd, trailer, offset)
    return Receipt(offset, offset + len(trailer)), Files({}, fd, index)


def take_over(fd: int, receipt: Receipt) -> tuple[Files, dict[str, Any]] | None:
    """What `hand_over` wrote: the files (read on use) and the artifacts; None if it is not all
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


class Files(Mapping[str, bytes]):
    """Output files by path as their bytes: some in memory, some in a shared file until asked for.

    Iterates in path order, as `render.join` does.
    """

    def __init__(
        self,
        in_memory: dict[str, bytes],
        fd: int | None = None,
        index: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self._in_memory = in_memory
        self._index = index or {}
        self._fd = os.dup(fd) if fd is not None else None
        if self._fd is not None:
            weakref.finalize(self, os.close, self._fd)
        clash = self._in_memory.keys() & self._index.keys()
        if clash:
            raise RuntimeError(f"two renderers write {min(clash)}")
        self._paths = sorted(self._in_memory.keys() | self._index.keys())

    def plus(self, more: dict[str, bytes]) -> Files:
        """These files and `more` (rendered in this process)."""
        in_memory = {**self._in_memory}
        for path, data in more.items():
            if path in in_memory:
                raise RuntimeError(f"two renderers write {path}")
            in_memory[path] = data
        return Files(in_memory, self._fd, self._index)

    def __getitem__(self, path: str) -> bytes:
        data = self._in_memory.get(path)
        if data is not None:
            return data
        start, length = self._index[path]
        assert self._fd is not None  # an index comes with its file
        return os.pread(self._fd, length, start)

    def __contains__(self, path: object) -> bool:
        return path in self._in_memory or path in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return len(self) == len(other) and all(path in other and other[path] == self[path] for path in self)

    __hash__ = None  # type: ignore[assignment]  # a mapping, like dict
