"""The alerting behaviour of the specs at a revision against the specs in the working tree, both
through the whole pipeline (load, build, render) as `alertgen generate` runs it."""

from __future__ import annotations

from pathlib import Path

from ..errors import SpecErrors
from ..isolate import DEFAULT_TIMEOUT
from ..pipeline import Result, load, run
from . import gitrev
from .compare import compare
from .report import Diff
from .snapshot import Baseline, snapshot

HEAD = "working tree"


class BaseSpecErrors(Exception):
    """The specs at the base revision do not load: their errors, and the revision."""

    def __init__(self, rev: str, errors: SpecErrors) -> None:
        super().__init__(rev)
        self.rev = rev
        self.errors = errors


def semantic_diff(
    specs_dir: Path, base: str | None, *, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT
) -> Diff:
    """`specs_dir` at `base` (default: the merge base with main) against `specs_dir` as it is.

    Raises SpecErrors for the working tree's specs, BaseSpecErrors for the base's, RevisionError
    when the revision cannot be read."""
    sha = gitrev.commit(specs_dir, base) if base is not None else gitrev.default_base(specs_dir)
    name = base if base is not None else f"merge base {gitrev.short(specs_dir, sha)}"
    head = run(specs_dir, jobs=jobs, timeout=timeout)
    before = base_result(specs_dir, sha, name, jobs=jobs, timeout=timeout)
    return between(before, head, name, HEAD)


def base_result(
    specs_dir: Path, sha: str, name: str, *, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT
) -> Result | None:
    """The pipeline's result on the specs at commit `sha` (None: there were no specs then)."""
    with gitrev.specs_at(specs_dir, sha) as folder:
        if folder is None:
            return None
        try:
            return run(folder, jobs=jobs, timeout=timeout)
        except SpecErrors as exc:
            raise BaseSpecErrors(name, exc) from exc


def between(before: Result | None, after: Result, base: str, head: str) -> Diff:
    """Two pipeline results compared (`before` None: nothing existed)."""
    old = snapshot(before.model) if before is not None else {}
    old_files = before.files if before is not None else {}
    files = sorted(p for p in old_files.keys() | after.files.keys() if old_files.get(p) != after.files.get(p))
    return Diff(base, head, tuple(compare(old, snapshot(after.model))), tuple(files))


def baseline(specs_dir: Path, base: str | None, *, timeout: float = DEFAULT_TIMEOUT) -> Baseline | None:
    """The behaviour of `specs_dir` at `base`, for `alertgen check --base`.

    With `base` None, the merge base with main, or None when there is none to compare with (not
    in git, no main branch, or specs there that no longer load: the check is then off, not failed).
    An explicit `base` that cannot be read raises RevisionError or BaseSpecErrors.
    """
    if base is None:
        try:
            sha = gitrev.default_base(specs_dir)
            return _baseline(specs_dir, sha, f"merge base {gitrev.short(specs_dir, sha)}", timeout)
        except (gitrev.RevisionError, BaseSpecErrors):
            return None
    return _baseline(specs_dir, gitrev.commit(specs_dir, base), base, timeout)


def _baseline(specs_dir: Path, sha: str, name: str, timeout: float) -> Baseline:
    with gitrev.specs_at(specs_dir, sha) as folder:
        if folder is None:
            return Baseline(name, {})
        try:
            return Baseline(name, snapshot(load(folder, timeout=timeout)))
        except SpecErrors as exc:
            raise BaseSpecErrors(name, exc) from exc
