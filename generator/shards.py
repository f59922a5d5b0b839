"""Load and build on two cores: a forked process loads and resolves about half of the spec modules.

Loading (compiling and executing spec modules, validating every spec object) and building
(resolving each service, evaluating its examples) are per module and per service, and together
were 3.8 s of a 10.8 s `generate` at 10,000 alerts, on one core. Here a forked process loads and
builds about half of the modules (by size) and sends its resolved services back, pickled, while
this process does the rest; the parts are joined as `build` would have resolved them in one go.

Only a clean run takes this path. When either part finds a spec error, or the parts clash (a
service or alert name defined in both, a routing error), the specs are loaded and built again in
one process, so that the errors reported are exactly those of `build`: all of them, once each,
in the same order (tests/test_shards.py).
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .build import Part, assemble, build, build_part
from .errors import ErrorSink
from .load import Loaded, add, load_all, load_file, spec_files
from .model import Model
from .spec.base import SpecModel


@dataclass(frozen=True, slots=True)
class _Shard:
    """What one process made of its modules: their objects per file, and its services resolved."""

    objects: tuple[tuple[Path, list[SpecModel]], ...]
    part: Part


def model_of(specs_dir: Path, time_scale: float = 1.0, processes: int = 1) -> Model:
    """Load and build the specs, `processes` cores sharing; SpecErrors as `build` raises them."""
    files = spec_files(specs_dir)
    if processes >= 2 and sys.platform == "linux" and len(files) >= 2:
        away, here = _split(files)
        model = _two(away, here, time_scale) if away else None
        if model is not None:
            return model
    sink = ErrorSink()
    loaded = load_all(specs_dir, sink)
    return build(loaded.services, sink, time_scale, loaded.teams, loaded.routings)


# The forked process also pickles what it built (a tenth of its work): it takes less source.
_AWAY_SHARE = 0.47


def _split(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files for the forked process and for this one, by size, each list in load order."""
    total = sum(p.stat().st_size for p in files)
    away: list[Path] = []
    taken = 0
    for path in sorted(files, key=lambda p: (-p.stat().st_size, p)):
        size = path.stat().st_size
        if taken + size <= total * _AWAY_SHARE:
            away.append(path)
            taken += size
    chosen = set(away)
    return sorted(away), [p for p in files if p not in chosen]


def _two(away: list[Path], here: list[Path], time_scale: float) -> Model | None:
    """The model from both parts, or None when one process alone must say what is wrong."""
    import multiprocessing

    receive, send = multiprocessing.Pipe(duplex=False)
    proc = multiprocessing.get_context("fork").Process(target=_away, args=(away, send), daemon=True)
    try:
        proc.start()
    except OSError:  # no process to be had (memory, a process limit): load in one process
        receive.close()
        send.close()
        return None
    send.close()  # a dead child reads as EOF here, never as a hang
    try:
        mine = _shard(here)
        try:
            data = receive.recv_bytes()
        except (EOFError, OSError):
            data = b""
    finally:
        receive.close()
        proc.join()
    theirs = pickle.loads(data) if data else None
    if mine is None or theirs is None:
        return None
    loaded = Loaded()
    for path, objects in sorted(mine.objects + theirs.objects, key=lambda o: o[0]):
        add(loaded, path, objects)
    if not loaded.services:
        return None
    return assemble((mine.part, theirs.part), time_scale, loaded.teams, loaded.routings)


def _shard(files: list[Path]) -> _Shard | None:
    """Load and resolve `files`; None on any spec error (the caller starts over in one process)."""
    sink = ErrorSink()
    loaded = Loaded()
    objects = []
    for path in files:
        found = load_file(path, sink)
        objects.append((path, found))
        add(loaded, path, found)
    if sink.errors:
        return None
    part = build_part(loaded.services, sink)
    return None if sink.errors else _Shard(tuple(objects), part)


def _away(files: list[Path], conn: Connection) -> None:
    """The forked part: its shard pickled, or nothing (EOF) when it has errors or fails."""
    try:
        shard = _shard(files)
        if shard is not None:
            conn.send_bytes(pickle.dumps(shard, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # the loading process starts over alone and shows the real error
        pass
    finally:
        with contextlib.suppress(OSError):
            conn.close()
