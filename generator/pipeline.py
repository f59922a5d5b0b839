"""load -> build -> render -> check -> write (or compare): the one path every command takes.

The work is independent per service, so it runs as jobs on a standard process pool (`jobs`
processes; 1 runs the same functions in this process):
1. one job per spec module loads and builds it (`build.build_module`);
2. once, `build.assemble` joins the modules into the model (names defined twice, who is told);
3. one job per part of the tree renders its files, reads them back and runs the checks that
   need only them: a job per service, and one for the files that span services (Alertmanager
   configs, routing tests, runbook index), which read only the model;
4. once, the global stage runs the checks that span services, on every part together.
Given a staging tree (generator/output.py), each part's files go into it as its job returns
them: comparing with the tree on disk or writing the new one, so that the run never holds every
file's bytes at once. Swapping it in is the caller's.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from . import conventions as conv
from .artifacts.tree import Artifacts, joined, read
from .build import ModulePart, assemble, build_module
from .build_targets import repository_targets
from .checks import Finding, Scope, run_on, scoped
from .checks.context import LivePrometheus, context
from .checks.labelflow import LabelFacts, RuleKey, analyse
from .checks.runner import merge
from .errors import WorkerDied, display_path
from .isolate import DEFAULT_TIMEOUT, deadline, follow_alertgen, kept, module_error, run_modules
from .load import spec_files
from .model import Model, ResolvedService
from .output import Staging, existing_files, is_regular
from .promql import forget_trees
from .render import render_model, render_service
from .review.snapshot import Baseline


@dataclass(frozen=True)
class Result:
    """What a run made of the specs: the model, every file as its bytes (path order; none when a
    staging tree took them), findings, and every file's path."""

    model: Model
    files: dict[str, bytes]
    findings: list[Finding]
    paths: tuple[str, ...] = ()

    @property
    def texts(self) -> dict[str, str]:
        """The files as text (they are UTF-8)."""
        return {path: data.decode() for path, data in self.files.items()}


@dataclass(frozen=True)
class _Part:
    """What one service's job returns: its files, what they read back as, and its findings."""

    files: dict[str, bytes]  # emptied once a staging tree has them (`paths` stays)
    paths: tuple[str, ...]
    artifacts: Artifacts
    facts: dict[RuleKey, LabelFacts]
    findings: list[Finding]


def default_jobs() -> int:
    """The processes a run uses unless told otherwise: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def load(
    specs_dir: Path,
    *,
    jobs: int = 1,
    time_scale: float = 1.0,
    timeout: float = DEFAULT_TIMEOUT,
    targets: Sequence[str] | None = None,
) -> Model:
    """Load and build every spec module, each in a worker process (generator/isolate.py);
    SpecErrors with every error of every module, in file order. `targets` (the command line's)
    replaces the rule formats the specs choose."""
    try:  # each module's part is frozen as it arrives (isolate.kept)
        parts = run_modules(_load_job, spec_files(specs_dir), jobs, timeout, _failed_module)
        parts, chosen = repository_targets(parts, targets)
        return replace(assemble(parts, specs_dir, time_scale), targets=chosen)
    finally:
        gc.unfreeze()


def _load_job(path: Path) -> ModulePart:
    with deadline():
        return build_module(path)


def _failed_module(path: Path, why: str) -> ModulePart:
    source = f"{path.parent.name}/{path.name}"
    return ModulePart(source, (), (), (), (), (module_error(path, why),), defines_service=True)


def run(
    specs_dir: Path,
    *,
    jobs: int = 1,
    time_scale: float = 1.0,
    out: Path = Path("output"),
    tree: Mapping[str, bytes] | None = None,
    prometheus: LivePrometheus | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    targets: Sequence[str] | None = None,
    base: Baseline | None = None,
    amend: Callable[[Model], Model] | None = None,
) -> Result:
    """Load, build, render and check. Findings name files as under `out`.

    With `base` (the behaviour at a base revision), the checks that compare with it run too.
    `amend` adds to the model what the specs alone do not hold (git history: review/history.py).

    With `tree` (an output tree's files by relative path, e.g. `read_tree(out)`), the checks read
    those instead of freshly rendered ones, so a hand edit is caught; `files` is then `tree`.
    """
    model = load(specs_dir, jobs=jobs, time_scale=time_scale, timeout=timeout, targets=targets)
    if amend is not None:
        model = amend(model)
    return process(model, jobs=jobs, out=out, tree=tree, prometheus=prometheus, base=base)


def process(
    model: Model,
    *,
    jobs: int = 1,
    out: Path = Path("output"),
    tree: Mapping[str, bytes] | None = None,
    prometheus: LivePrometheus | None = None,
    base: Baseline | None = None,
    staging: Staging | None = None,
) -> Result:
    """Render and check a loaded model (`run`'s arguments); with `staging`, every file goes there
    as it is made and checked, and the result keeps only the paths."""
    # The model and the parts live until the run ends: frozen (each part as it arrives), the
    # collector stops rescanning them, and forked jobs stop copying the model's pages by touching
    # them (10k alerts at -j 2: 46 s -> 27 s; freezing the parts too, 24.0 -> 21.6 s).
    gc.freeze()
    try:
        job = _Job(model, display_path(str(out)), tree, prometheus, base)
        names: list[str | None] = [None, *(s.name for s in model.services)]
        parts = [_staged(part, staging) for part in _map(_part_job, names, jobs, job)]
        return _whole(job, parts)
    finally:
        gc.unfreeze()  # callers that run again in this process get their collector back


def _staged(part: _Part, staging: Staging | None) -> _Part:
    if staging is None:
        return part
    staging.put(part.files)
    return replace(part, files={})


def _whole(job: _Job, parts: list[_Part]) -> Result:
    """The global stage: the checks that span services, on every part together."""
    files = {path: data for part in parts for path, data in part.files.items()}
    paths = {path for part in parts for path in part.paths}
    # Each job reported its own unreadable files.
    artifacts = joined(replace(part.artifacts, unreadable=()) for part in parts)
    facts = {key: fact for part in parts for key, fact in part.facts.items()}
    ctx = context(job.model, paths, {}, artifacts, facts, job.prometheus, job.base)
    findings = merge(*(part.findings for part in parts), run_on(ctx, scoped(Scope.GLOBAL), job.prefix))
    return Result(job.model, dict(sorted(files.items())), findings, tuple(sorted(paths)))


@dataclass(frozen=True)
class _Job:
    """One run's jobs, as each of them needs it."""

    model: Model
    prefix: str
    tree: Mapping[str, bytes] | None
    prometheus: LivePrometheus | None
    base: Baseline | None = None

    def service(self, service: ResolvedService) -> _Part:
        """Render (or read from the tree) one service's files, read them back, check them."""
        if self.tree is None:
            files = render_service(self.model, service)
        else:
            files = _service_files(self.tree, service.name)
        # The service's checks see only the service: others' alerts are not theirs to check.
        return self._checked(replace(self.model, services=(service,)), files, Scope.SERVICE, Scope.EVERY)

    def spanning(self) -> _Part:
        """The files that span services (Alertmanager configs, routing tests, runbook index; from a
        tree, every file no service claims, global or stray), read back and checked on their own."""
        if self.tree is None:
            files = render_model(self.model)
        else:
            claimed = {path for s in self.model.services for path in _service_files(self.tree, s.name)}
            files = {path: data for path, data in self.tree.items() if path not in claimed}
        return self._checked(self.model, files, Scope.EVERY)

    def _checked(self, model: Model, files: dict[str, bytes], *scopes: Scope) -> _Part:
        artifacts = read(files)
        facts = analyse(artifacts.rules, {s.name: s.catalog for s in model.services})
        ctx = context(model, files, files, artifacts, facts, self.prometheus)
        return _Part(files, tuple(files), artifacts, facts, run_on(ctx, scoped(*scopes), self.prefix))


# The job of this process's run: a pool process gets it once, from its initializer.
_CURRENT: dict[str, _Job | None] = {}


def _install(job: _Job | None) -> None:
    _CURRENT["job"] = job


def _start_worker(job: _Job | None) -> None:
    follow_alertgen()
    _install(job)


def _part_job(name: str | None) -> _Part:
    """A service's part, by its name; None: the part of the files that span services."""
    job = _CURRENT["job"]
    assert job is not None, "installed by _map"
    try:
        if name is None:
            return job.spanning()
        return job.service(next(s for s in job.model.services if s.name == name))
    finally:
        forget_trees()  # each job parses its own expressions; none is needed after it


def _service_files(tree: Mapping[str, bytes], service: str) -> dict[str, bytes]:
    """The files of one service in an output tree, those that are there."""
    paths = (
        conv.rules_path(service),
        conv.rules_path(service, "global"),
        conv.tests_path(service),
        conv.dashboard_path(service),
        conv.runbook_path(service),
        *(conv.target_path(t, service, tier) for t in conv.TARGET_FILES for tier in ("source", "global")),
    )
    return {p: tree[p] for p in paths if p in tree}


def read_tree(out: Path) -> dict[str, bytes]:
    """Every regular file of an output folder on disk, by relative path."""
    return {path: full.read_bytes() for path, full in existing_files(out).items() if is_regular(full)}


T = TypeVar("T")
R = TypeVar("R")


def _map(fn: Callable[[T], R], items: Sequence[T], jobs: int, job: _Job | None = None) -> Iterator[R]:
    """`fn` on every item, yielded in order as each is done, on `jobs` processes (in this process
    for 1), each process given `job` first."""
    if jobs <= 1 or len(items) <= 1:
        _install(job)
        for item in items:
            result = fn(item)
            gc.freeze()  # as `kept` does for a pool's results
            yield result
        return
    # Forked processes start with the parent's model as it is (nothing pickled on the way in).
    start = "fork" if sys.platform == "linux" else None
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(items)),
        mp_context=multiprocessing.get_context(start),
        initializer=_start_worker,
        initargs=(job,),
    )
    futures = deque(pool.submit(fn, item) for item in items)
    for future in futures:
        future.add_done_callback(kept)
    try:
        while futures:  # a future yielded is dropped: it would hold its result to the end
            yield futures.popleft().result()
    except BaseException as exc:  # a failed job, Ctrl-C, a consumer that stopped: the rest is not wanted
        # The jobs at hand end (a killed worker could leave a result half-sent, and the pool's
        # manager thread waiting for the rest of it forever); those not started are dropped.
        pool.shutdown(wait=True, cancel_futures=True)
        if isinstance(exc, BrokenProcessPool):
            raise WorkerDied() from None
        raise
    pool.shutdown()
