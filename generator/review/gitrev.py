"""The specs folder as it was at a git revision, extracted into a temporary folder.

`git archive` reads the revision from the object store, so the user's working tree, index and
checked-out branch are never touched (no checkout, no stash).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Tried in order for the default base: the merge base of HEAD with the first that exists.
MAIN_BRANCHES = ("main", "origin/main", "master", "origin/master")


class RevisionError(Exception):
    """A revision that cannot be read (not in git, unknown revision); its text is one line."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed") from exc


def _where(specs_dir: Path) -> Path:
    """A folder git can run in: the specs folder, or the nearest one above it that exists."""
    here = specs_dir.resolve()
    while not here.is_dir():
        here = here.parent
    return here


def toplevel(specs_dir: Path) -> Path | None:
    """The root of the git working tree holding `specs_dir`; None when it is not in one."""
    done = _git(_where(specs_dir), "rev-parse", "--show-toplevel")
    return Path(done.stdout.decode().strip()) if done.returncode == 0 else None


def commit(specs_dir: Path, rev: str) -> str:
    """The commit `rev` names, as 40 hex digits."""
    if toplevel(specs_dir) is None:
        raise RevisionError(f"{specs_dir} is not in a git repository; --base needs one")
    if rev.startswith("-"):
        raise RevisionError(f"unknown revision {rev!r}")
    done = _git(
        _where(specs_dir), "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
    )
    if done.returncode != 0:
        raise RevisionError(f"unknown revision {rev!r}")
    return done.stdout.decode().strip()


def default_base(specs_dir: Path) -> str:
    """The merge base of HEAD with the main branch (main, origin/main, master, origin/master)."""
    where = _where(specs_dir)
    if toplevel(specs_dir) is None:
        raise RevisionError(f"{specs_dir} is not in a git repository; alertgen diff compares git revisions")
    for branch in MAIN_BRANCHES:
        done = _git(where, "merge-base", "HEAD", branch)
        if done.returncode == 0:
            return done.stdout.decode().strip()
    raise RevisionError("no main branch to compare with (main, origin/main, master); give --base REV")


def short(specs_dir: Path, sha: str) -> str:
    """A commit's abbreviated name, as git prints it."""
    done = _git(_where(specs_dir), "rev-parse", "--short", sha)
    return done.stdout.decode().strip() if done.returncode == 0 else sha[:12]


@contextmanager
def specs_at(specs_dir: Path, sha: str) -> Iterator[Path | None]:
    """The specs folder as it was at commit `sha`, in a temporary folder removed afterwards;
    None when the folder did not exist then (every service is then new)."""
    top = toplevel(specs_dir)
    if top is None:
        raise RevisionError(f"{specs_dir} is not in a git repository; --base needs one")
    try:
        rel = specs_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError as exc:
        raise RevisionError(f"{specs_dir} is outside the repository at {top}") from exc
    listed = _git(top, "ls-tree", "-d", "--name-only", sha, "--", rel)
    with tempfile.TemporaryDirectory(prefix="alertgen-base-") as tmp:
        if listed.returncode != 0 or not listed.stdout.strip():
            yield None
            return
        archive = _git(top, "archive", "--format=tar", sha, "--", rel)
        if archive.returncode != 0:
            raise RevisionError(f"cannot read {rel} at {sha[:12]}: {archive.stderr.decode().strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            # The data filter refuses links out of the folder and special files.
            tar.extractall(tmp, filter="data")
        # Kept under its own name: spec errors and rule headers name `<folder>/<module>.py`.
        yield Path(tmp) / rel


def log(specs_dir: Path) -> list[tuple[str, str]]:
    """`(commit, commit date YYYY-MM-DD)` of every commit that changed the specs folder, oldest
    first (none when not in git)."""
    top = toplevel(specs_dir)
    if top is None:
        return []
    rel = specs_dir.resolve().relative_to(top.resolve()).as_posix()
    done = _git(top, "log", "--reverse", "--format=%H %cs", "--", rel)
    if done.returncode != 0:
        return []  # a repository without commits yet
    lines = done.stdout.decode().splitlines()
    return [(sha, date) for sha, _, date in (line.partition(" ") for line in lines)]
