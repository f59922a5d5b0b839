"""`alertgen diff`: a pull request's alerting changes in words, in a git repository the test builds
from tests/fixtures/review (never the repository's own specs/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.review_repo import FIXTURE, RECEIVER, THRESHOLD, commit, edit, git, make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A clone-like repository: specs/payments.py from the fixture, committed on main."""
    return make_repo(tmp_path)


def diff(repo: Path, *args: str) -> Result:
    """`alertgen diff --specs <repo>/specs ARGS`."""
    return CliRunner().invoke(main, ["diff", "--specs", str(repo / "specs"), *args])


def bullets(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("- ")]


def test_a_threshold_and_a_receiver_are_exactly_the_two_changes(repo: Path) -> None:
    edit(repo, THRESHOLD, RECEIVER)
    commit(repo, "warn later, page the on-call on warnings")
    status = git(repo, "status", "--porcelain")

    result = diff(repo, "--base", "HEAD~1")

    assert result.exit_code == 0, result.output
    assert bullets(result.output) == [
        "- **PaymentsChargeFailuresHigh**: threshold `5%` → `8%`",
        "- **PaymentsChargeFailuresHigh**: now also notifies `payments-oncall` in production",
    ]
    assert "#### Payments API (`payments`, version 2.3.0, not bumped)" in result.output
    assert "no behaviour change" not in result.output
    # The comparison read HEAD~1 from git's objects: the working tree and worktrees are as they were.
    assert git(repo, "status", "--porcelain") == status
    assert len(git(repo, "worktree", "list").splitlines()) == 1
    assert diff(repo, "--base", "HEAD~1", "--exit-code").exit_code == 1


def test_json_and_text_name_the_same_changes(repo: Path) -> None:
    edit(repo, THRESHOLD, RECEIVER)
    commit(repo, "warn later")

    data = json.loads(diff(repo, "--base", "HEAD~1", "--format", "json").output)
    text = diff(repo, "--base", "HEAD~1", "--format", "text").output

    changes = [(c["alert"], c["field"], c["before"], c["after"]) for c in data["services"][0]["changes"]]
    assert changes == [
        ("PaymentsChargeFailuresHigh", "threshold", "5%", "8%"),
        (
            "PaymentsChargeFailuresHigh",
            "notified (production)",
            ["payments-alerts"],
            ["payments-alerts", "payments-oncall"],
        ),
    ]
    assert data["changed"] is True
    assert text.splitlines() == [
        "payments (version 2.3.0, not bumped)",
        "  PaymentsChargeFailuresHigh: threshold 5% → 8%",
        "  PaymentsChargeFailuresHigh: now also notifies payments-oncall in production",
    ]


def test_a_whitespace_only_edit_is_no_behaviour_change(repo: Path) -> None:
    spec = repo / "specs" / "payments.py"
    text = spec.read_text()
    # Blank lines, a comment, spacing inside a call and inside the PromQL string.
    spec.write_text(
        "# reformatted\n\n"
        + text.replace("threshold=0.2,", "threshold = 0.2 ,").replace(
            "sum by (job, namespace)", "sum  by(job,namespace)"
        )
        + "\n\n"
    )
    commit(repo, "reformat")

    result = diff(repo, "--base", "HEAD~1")

    assert result.exit_code == 0, result.output
    assert "**no behaviour change**" in result.output
    assert bullets(result.output) == []
    assert diff(repo, "--base", "HEAD~1", "--exit-code").exit_code == 0
    assert diff(repo, "--base", "HEAD~1", "--format", "text").output.endswith(": no behaviour change\n")


def test_uncommitted_edits_and_the_default_base(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, THRESHOLD)  # not committed: the working tree is what is compared

    result = diff(repo)

    assert result.exit_code == 0, result.output
    short = git(repo, "rev-parse", "--short", "main").strip()
    assert f"`merge base {short}` → working tree" in result.output
    assert bullets(result.output) == ["- **PaymentsChargeFailuresHigh**: threshold `5%` → `8%`"]


def test_a_rename_is_one_change_and_keeps_its_inhibitions(repo: Path) -> None:
    edit(repo, ('name="PaymentsChargeFailuresHigh"', 'name="PaymentsChargeFailuresWarning"'))

    result = diff(repo, "--base", "HEAD")

    # The critical tier still inhibits its twin, under the new name: that is not a change.
    assert bullets(result.output) == [
        "- **PaymentsChargeFailuresWarning**: renamed from `PaymentsChargeFailuresHigh`",
        "- **PaymentsChargeFailuresWarning**: runbook section "
        "`runbooks/payments.md#payments-charge-failures-high` → `runbooks/payments.md#payments-charge-failures-warning`",
    ]


def test_a_service_new_since_the_base(repo: Path) -> None:
    # The base commit has no specs folder at all; the working tree still holds the spec.
    git(repo, "rm", "-q", "-r", "--cached", "specs")
    git(repo, "commit", "-q", "-m", "no specs yet")

    result = diff(repo, "--base", "HEAD")

    assert "version 2.3.0" in result.output and "new service" in result.output
    assert bullets(result.output) == [
        "- **PaymentsDown**: new alert",
        "- **PaymentsChargeFailuresCritical**: new alert",
        "- **PaymentsChargeFailuresHigh**: new alert",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "no-such-rev"], "alertgen diff: unknown revision 'no-such-rev'; nothing compared"),
        (["--base", "--help"], "alertgen diff: unknown revision '--help'; nothing compared"),
    ],
)
def test_a_bad_revision_is_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = diff(repo, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_outside_git_and_a_base_whose_specs_break(repo: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone" / "specs"
    alone.mkdir(parents=True)
    shutil.copy(FIXTURE, alone / "payments.py")
    outside = diff(alone.parent, "--base", "HEAD")
    assert outside.exit_code == 2
    assert outside.stderr.splitlines() == [
        f"alertgen diff: {alone} is not in a git repository; --base needs one; nothing compared"
    ]

    edit(repo, ("threshold=0.2,", "threshold=-1, nonsense=1,"))
    commit(repo, "broken")
    edit(repo, ("threshold=-1, nonsense=1,", "threshold=0.2,"))
    broken = diff(repo, "--base", "HEAD")
    assert broken.exit_code == 2
    lines = broken.stderr.splitlines()
    assert lines[0] == "alertgen diff: the specs at HEAD have errors:"
    assert lines[-1].endswith("in specs; nothing compared")
    assert "Traceback" not in broken.output + broken.stderr
