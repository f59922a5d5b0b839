"""Spec modules run in worker processes, never in alertgen's own: spec code is the user's code.

A spec may call `sys.exit`, `os._exit`, print to standard output or loop forever. Run in a pool
process (even at `-j 1`), its `os._exit` or crash ends that process only and becomes a spec error
naming the module; its output goes to standard error; a module still loading after `timeout`
seconds is stopped and named; and a worker dies with alertgen (Linux), never left spinning.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import TypeVar

from .errors import Location, SpecError, display_path

DEFAULT_TIMEOUT = 120.0  # seconds one spec module may take to load and build
_EXIT_GRACE = 2.0  # seconds a worker has to exit once its modules are done
_PR_SET_PDEATHSIG = 1

R = TypeVar("R")


class SpecTimeout(BaseException):
    """Raised in a worker when its spec module ran past the timeout (BaseException: a spec's
    `except Exception` must not swallow it)."""

    @property
    def seconds(self) -> float:
        """The timeout that ran out."""
        return float(self.args[0]) if self.args else 0.0


def run_modules(
    fn: Callable[[Path], R],
    paths: Sequence[Path],
    jobs: int,
    timeout: float,
    failed: Callable[[Path, str], R],
) -> list[R]:
    """`fn(path)` for every spec module, in order, in `jobs` worker processes; a module whose
    process died, or that ran past `timeout`, gives `failed(path, why)` instead."""
    if not paths:
        return []
    results, broken, late = _round(fn, paths, max(1, min(jobs, len(paths))), timeout)
    for path in late:
        results[path] = failed(path, _late(timeout))
    if broken:  # a dead process breaks the pool: the rest run one by one, so the culprit is named
        for path in paths:
            if path not in results:
                results.update(_alone(fn, path, timeout, failed))
    return [results[p] for p in paths]


_DIED = (
    "the spec module ended its worker process while loading (os._exit, a signal or a crash); "
    "a spec must only define objects"
)


def _late(timeout: float) -> str:
    return f"the spec module did not finish loading within {timeout:g} s; look for an endless loop"


def _alone(
    fn: Callable[[Path], R], path: Path, timeout: float, failed: Callable[[Path, str], R]
) -> dict[Path, R]:
    done, broken, late = _round(fn, [path], 1, timeout)
    if broken:
        return {path: failed(path, _DIED)}
    if late:
        return {path: failed(path, _late(timeout))}
    return done


def _round(
    fn: Callable[[Path], R], paths: Sequence[Path], width: int, timeout: float
) -> tuple[dict[Path, R], bool, list[Path]]:
    """One pool's results: by path, whether a process died, and the modules that ran late."""
    start = "fork" if sys.platform == "linux" else None
    pool = ProcessPoolExecutor(
        max_workers=width,
        mp_context=multiprocessing.get_context(start),
        initializer=_worker_start,
        initargs=(timeout,),
    )
    futures: dict[Future[R], Path] = {pool.submit(fn, p): p for p in paths}
    for future in futures:
        future.add_done_callback(kept)
    try:  # each module is stopped by its own alarm; this deadline only catches one that ignores it
        finished, unfinished = wait(futures, timeout=timeout * len(paths) / width + timeout + 5)
    except BaseException:  # Ctrl-C: the modules being loaded are given the grace, the rest dropped
        _close(pool, _EXIT_GRACE)
        raise
    done: dict[Path, R] = {}
    broken = False
    late = sorted(futures[f] for f in unfinished)
    for future in finished:
        try:
            done[futures[future]] = future.result()
        except BrokenProcessPool:
            broken = True
        except SpecTimeout:
            late.append(futures[future])
    _close(pool, 0.0 if unfinished else _EXIT_GRACE)
    return done, broken, late


def _close(pool: ProcessPoolExecutor, grace: float) -> None:
    """Shut the pool down as a whole, waiting for its manager thread: with `wait=False`, Python
    3.11's manager thread can outlive the pool's state and fail on a worker killed below (CPython
    gh-132969). A worker still running a spec after `grace` seconds, or kept alive by a thread a
    spec started, is killed: it lets the shutdown end."""
    closing = threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True}, daemon=True)
    closing.start()
    closing.join(grace)
    if closing.is_alive():
        for process in multiprocessing.active_children():
            process.kill()
        closing.join()


def kept(future: Future[R]) -> None:
    """A done-callback for results the run keeps to its end: freeze the heap as each arrives.

    The collector would otherwise rescan every result received so far each time the heap grows
    (200 modules at 10k alerts: 1.3 of the main process's 2.2 CPU s while loading). The
    pipeline unfreezes it when its stage ends."""
    gc.freeze()


def _worker_start(timeout: float) -> None:
    """A worker's setup: output to standard error, no bytecode caches written into the specs
    folder, an alarm per module, death with alertgen."""
    sys.dont_write_bytecode = True
    with contextlib.suppress(OSError, ValueError):
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    follow_alertgen()
    _TIMEOUT[0] = timeout


def follow_alertgen() -> None:
    """In a pool worker: leave Ctrl-C to alertgen, which ends the job at hand and drops the rest,
    and be killed when alertgen dies (Linux); else a killed alertgen leaves its workers waiting
    forever on a queue whose write end they inherited, holding its pipes open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # alertgen died before the prctl
        os.kill(os.getpid(), signal.SIGKILL)


_TIMEOUT = [DEFAULT_TIMEOUT]


@contextlib.contextmanager
def deadline() -> Iterator[None]:
    """Raise SpecTimeout in this worker if the body runs past the worker's timeout."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise SpecTimeout(_TIMEOUT[0])

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, _TIMEOUT[0])
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def module_error(path: Path, why: str) -> SpecError:
    """A spec error about a whole module."""
    return SpecError(Location(display_path(str(path)), 0), "", why)
