"""The commands as a new user meets them: help with examples and exit codes, completion, the
first run's summary, headers that name the command to run, no stray files, pre-commit hooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .conftest import ROOT, SPECS, require_tool, run_tool

COMMANDS = ("generate", "check", "verify", "list", "alertmanager", "import")


def _alertgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`alertgen ARGS` as a fresh process in `cwd` (`python -m generator` is the same program)."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_examples_and_exit_codes(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"alertgen {command}" in result.stdout
    assert "Exit codes" in result.stdout
    assert " 0 " in result.stdout.replace("\n", " ")


def test_generate_help_lists_every_exit_code_it_can_give() -> None:
    text = CliRunner().invoke(main, ["generate", "--help"]).stdout
    codes = [
        line.split()[0]
        for line in text.split("Exit codes:")[1].split("Options:")[0].splitlines()
        if line.strip()
    ]
    assert codes == ["0", "1", "2", "3", "4", "5", "7", "130"]


def test_shell_completion_is_offered_as_the_readme_says(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    for shell in ("bash", "zsh", "fish"):
        assert f"_ALERTGEN_COMPLETE={shell}_source alertgen" in readme
        done = _alertgen(cwd=tmp_path, env={"_ALERTGEN_COMPLETE": f"{shell}_source"})
        assert done.returncode == 0
        assert "_alertgen_completion" in done.stdout, shell


def test_first_run_says_what_it_wrote_then_later_runs_say_unchanged(tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    first = _alertgen("generate", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    files = sum(1 for p in (tmp_path / "output").rglob("*") if p.is_file() and p.name != ".alertgen-output")
    assert first.stdout.splitlines()[-1] == f"alertgen: wrote {files} files to output/ (new)"
    again = _alertgen("generate", cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == f"output: unchanged ({files} files)"


def test_headers_name_the_command_anyone_can_run(tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    assert _alertgen("generate", cwd=tmp_path).returncode == 0
    rules = next((tmp_path / "output" / "prometheus" / "rules").glob("*.yml")).read_text()
    assert "run `alertgen generate`" in rules.splitlines()[0]
    every = "".join(p.read_text() for p in (tmp_path / "output").rglob("*") if p.is_file())
    assert "make generate" not in every  # outside this repository there is no such target


def test_a_run_leaves_nothing_beside_the_output_folder(tmp_path: Path) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert _alertgen("generate", cwd=tmp_path).returncode == 0
    assert _alertgen("generate", cwd=tmp_path).returncode == 0
    assert _alertgen("check", cwd=tmp_path).returncode == 0
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == sorted([*before, "output"])  # no lock file, no temporary tree
    assert not [p for p in (tmp_path / "specs").iterdir() if p.name != "__pycache__" and p.suffix != ".py"]


def test_pre_commit_hooks_run_alertgen_and_fail_on_drift(tmp_path: Path) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"alertgen-generate-check", "alertgen-check"}
    shutil.copytree(SPECS, tmp_path / "specs")
    assert _alertgen("generate", cwd=tmp_path).returncode == 0
    for hook in hooks.values():
        assert hook["pass_filenames"] is False and hook["language"] == "python"
        program, *args = hook["entry"].split()
        assert program == "alertgen"
        assert _alertgen(*args, cwd=tmp_path).returncode == 0, hook["id"]
    rules = next((tmp_path / "output" / "prometheus" / "rules").glob("*.yml"))
    rules.write_text(rules.read_text().replace("severity: critical", "severity: warning", 1))
    codes = {hid: _alertgen(*h["entry"].split()[1:], cwd=tmp_path).returncode for hid, h in hooks.items()}
    assert codes["alertgen-generate-check"] == 1  # the hand edit is drift
    assert codes["alertgen-check"] == 4  # and breaks the routing the spec meant


@pytest.mark.amtool
def test_an_alertmanager_config_written_elsewhere_brings_its_template_file(tmp_path: Path) -> None:
    amtool = require_tool("amtool")
    target = tmp_path / "am" / "alertmanager.yml"
    target.parent.mkdir()
    done = _alertgen(
        "alertmanager", "--specs", str(SPECS), "--env", "staging", "--out", str(target), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["alertmanager.yml", "notifications.tmpl"]
    assert run_tool(amtool, "check-config", str(target)).returncode == 0
    text = '{{ template "alertgen.slack.text" . }}'
    glob = f"--template.glob={target.parent / 'notifications.tmpl'}"
    assert run_tool(amtool, "template", "render", glob, f"--template.text={text}").returncode == 0


def test_make_fmt_formats_and_fixes_what_make_lint_checks() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    plan = subprocess.run([make, "-n", "fmt"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert plan.returncode == 0, plan.stderr
    lines = [line.split("/")[-1] for line in plan.stdout.splitlines() if "ruff" in line]
    assert lines == ["ruff format generator specs tests", "ruff check --fix generator specs tests"]
