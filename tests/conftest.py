"""Shared fixtures: the Brownie build, real tool binaries, temporary spec folders.

The tool is tested on fixtures under tests/: SPECS is the Brownie fixture
(tests/fixtures/brownie), not the repository's specs/. Tests may read the repository's own
specs/ and output/ (REPO_SPECS, REPO_OUTPUT) only for checks that hold for any valid specs;
whether output/ matches specs/ is the CI drift gate's job (`alertgen generate --check`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import Result, run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The Brownie spec the tool's tests run on, a copy of what specs/ shipped with.
SPECS = FIXTURES / "brownie"
# The repository's own specs and committed output: only generic verifications read them.
REPO_SPECS = ROOT / "specs"
REPO_OUTPUT = ROOT / "output"
SHARED = ROOT.parent / "shared"


def require_tool(name: str) -> str:
    """The path of a real binary; under CI a missing one fails the test instead of skipping it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian packages prometheus / prometheus-alertmanager / victoria-metrics; `make tools`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def brownie() -> Result:
    """The Brownie fixture spec loaded, built and rendered once per test session."""
    return run(SPECS)


@pytest.fixture(scope="session")
def brownie_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Brownie fixture generated on disk by `alertgen generate`, once per test session.

    Tests that read a generated tree read this one, never the repository's committed output/.
    Treat it as read-only: copy it before editing.
    """
    out = tmp_path_factory.mktemp("brownie") / "output"
    result = CliRunner().invoke(main, ["generate", "--specs", str(SPECS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def write_specs(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write spec modules (name -> source) into a fresh folder and return it."""

    def write(files: dict[str, str]) -> Path:
        folder = tmp_path / "specs"
        folder.mkdir(exist_ok=True)
        for name, source in files.items():
            (folder / name).write_text(textwrap.dedent(source))
        return folder

    return write


def run_tool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a binary, capturing text output."""
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
