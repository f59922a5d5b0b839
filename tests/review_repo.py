"""A git repository built for a test from tests/fixtures/review: `alertgen diff` and
`alertgen check --base` compare revisions of it (never the repository's own specs/)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "review" / "payments.py"
THRESHOLD = ("threshold=0.05,  # diff: the warning threshold", "threshold=0.08,")
RECEIVER = (
    'receivers=("payments-alerts",)),  # diff: who a warning notifies',
    'receivers=("payments-alerts", "payments-oncall")),',
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity; its standard output."""
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def make_repo(tmp_path: Path) -> Path:
    """A clone-like repository: specs/payments.py from the fixture, committed on main."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    shutil.copy(FIXTURE, root / "specs" / "payments.py")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "payments as it runs")
    return root


def edit(repo: Path, *changes: tuple[str, str]) -> None:
    """Replace each `(old, new)` text once in specs/payments.py."""
    spec = repo / "specs" / "payments.py"
    text = spec.read_text()
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec.write_text(text)


def commit(repo: Path, message: str) -> None:
    git(repo, "commit", "-q", "-am", message)
