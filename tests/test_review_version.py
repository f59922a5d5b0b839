"""version/not-bumped: `alertgen check` compares alerting behaviour with a base revision and
requires a Service.version bump for a change (a repository built from tests/fixtures/review)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.review_repo import FIXTURE, RECEIVER, THRESHOLD, commit, edit, git, make_repo

VERSION = ('version="2.3.0",', 'version="2.4.0",')


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """specs/payments.py committed on main, in a repository of its own."""
    return make_repo(tmp_path)


def check(specs: Path, *args: str) -> Result:
    """`alertgen generate`, then `alertgen check ARGS`, on `specs` and an output beside it."""
    out = specs.parent / "output"
    runner = CliRunner()
    generated = runner.invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    assert generated.exit_code == 0, generated.output
    return runner.invoke(main, ["check", "--specs", str(specs), "--out", str(out), *args])


def test_a_change_without_a_bump_is_an_error_naming_the_change(repo: Path) -> None:
    edit(repo, THRESHOLD, RECEIVER)
    commit(repo, "warn later, page on warnings")

    result = check(repo / "specs", "--base", "HEAD~1")

    assert result.exit_code == 4, result.output
    assert result.stdout.splitlines() == [
        f"{repo}/output/prometheus/rules/payments.rules.yml:1: error version/not-bumped: service 'payments' "
        "changed its alerting since HEAD~1 (PaymentsChargeFailuresHigh: threshold 5% → 8%; "
        "PaymentsChargeFailuresHigh: now also notifies payments-oncall in production) but its version is "
        "still 2.3.0; bump Service.version and set changed_in on the changed alerts "
        "(`alertgen diff` lists every change)",
        "alertgen check: 1 error, 0 warnings, 0 info; 0 disabled",
    ]


def test_the_default_base_is_the_merge_base_with_main(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, THRESHOLD)  # uncommitted: the working tree is what is checked

    result = check(repo / "specs")

    assert result.exit_code == 4
    assert "changed its alerting since merge base " in result.stdout
    assert check(repo / "specs", "--no-base").exit_code == 0


def test_a_bump_or_no_behaviour_change_passes(repo: Path) -> None:
    edit(repo, THRESHOLD, VERSION)
    commit(repo, "warn later, 2.4.0")
    bumped = check(repo / "specs", "--base", "HEAD~1")
    assert bumped.exit_code == 0, bumped.output
    assert "version/not-bumped" not in bumped.output

    spec = repo / "specs" / "payments.py"
    spec.write_text("# reformatted\n\n" + spec.read_text().replace("threshold=0.2,", "threshold = 0.2 ,"))
    commit(repo, "reformat, no bump needed")
    same = check(repo / "specs", "--base", "HEAD~1")
    assert same.exit_code == 0, same.output


def test_off_outside_git_and_a_bad_base_is_one_line(repo: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone" / "specs"
    alone.mkdir(parents=True)
    shutil.copy(FIXTURE, alone / "payments.py")
    assert check(alone).exit_code == 0

    bad = check(repo / "specs", "--base", "no-such-rev")
    assert bad.exit_code == 2
    assert bad.stderr.splitlines() == [
        "alertgen check: --base: unknown revision 'no-such-rev'; nothing checked"
    ]
