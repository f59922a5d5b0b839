"""`generate --history`: each runbook's changelog and "Last changed in" from git history, in a
repository built from tests/fixtures/review (never the repository's own specs/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.review_repo import FIXTURE, RECEIVER, THRESHOLD, commit, edit, git, make_repo

VERSION = ('version="2.3.0",', 'version="2.4.0",')
FOR_DOWN = ('for_="2m",', 'for_="3m",')


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """specs/payments.py committed on main at 2.3.0, then a threshold change committed as 2.4.0."""
    root = make_repo(tmp_path)
    edit(root, THRESHOLD, VERSION)
    commit(root, "warn later: 2.4.0")
    return root


def runbook(specs: Path, *args: str) -> str:
    """`alertgen generate ARGS` into an output beside `specs`; the payments runbook."""
    out = specs.parent / "output"
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return (out / "runbooks" / "payments.md").read_text()


def last_changed(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- **Last changed in**")]


def test_the_changelog_has_one_entry_per_version_from_the_semantic_diff(repo: Path) -> None:
    edit(repo, FOR_DOWN, RECEIVER)  # not committed: part of 2.4.0, which the working tree is at
    dates = git(repo, "log", "--format=%cs").split()

    text = runbook(repo / "specs", "--history")

    changelog = text[text.index("## Changelog") :].splitlines()
    assert [line for line in changelog if line] == [
        "## Changelog",
        f"### 2.4.0 ({dates[0]})",
        "- **PaymentsDown**: for 2m → 3m",
        "- **PaymentsChargeFailuresHigh**: threshold 5% → 8%",
        "- **PaymentsChargeFailuresHigh**: now also notifies payments-oncall in production",
        f"### 2.3.0 ({dates[1]})",
        "- **PaymentsDown**: new alert",
        "- **PaymentsChargeFailuresCritical**: new alert",
        "- **PaymentsChargeFailuresHigh**: new alert",
    ]
    # In the order of the runbook's alerts: PaymentsDown, the critical tier, the warning tier.
    assert last_changed(text) == [
        "- **Last changed in**: service spec `2.4.0`",
        "- **Last changed in**: service spec `2.3.0`",
        "- **Last changed in**: service spec `2.4.0`",
    ]
    assert runbook(repo / "specs", "--history") == text  # the same history, the same bytes


def test_without_history_or_git_the_runbook_is_as_before(repo: Path, tmp_path: Path) -> None:
    plain = runbook(repo / "specs")
    assert "Changelog" not in plain
    assert set(last_changed(plain)) == {"- **Last changed in**: not recorded (service spec is at `2.4.0`)"}

    alone = tmp_path / "alone" / "specs"
    alone.mkdir(parents=True)
    shutil.copy(FIXTURE, alone / "payments.py")
    assert "Changelog" not in runbook(alone, "--history")


def test_a_changed_in_written_by_hand_is_kept(repo: Path) -> None:
    edit(repo, ('    name="PaymentsDown",\n', '    name="PaymentsDown",\n    changed_in="2.4.0",\n'))

    text = runbook(repo / "specs", "--history")

    assert last_changed(text)[0] == "- **Last changed in**: service spec `2.4.0`"
