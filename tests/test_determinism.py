"""Same specs, same bytes: whatever the hash seed, in a fresh process or in this one.

Whether the committed output/ matches the repository's specs/ is not tested here: that is the CI
drift gate (`alertgen generate --check` in .ci/run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.output import existing_files

from .conftest import ROOT, SPECS


def _generate(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--specs", str(SPECS), "--out", str(out)],
        check=True,
        capture_output=True,
        env=env,
        cwd=out.parent,
    )
    return {path: p.read_bytes() for path, p in existing_files(out).items()}


def test_identical_trees_under_different_hash_seeds(tmp_path: Path, brownie_output: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _generate(tmp_path / "a" / "out", "0")
    second = _generate(tmp_path / "b" / "out", "4242")
    assert first == second
    # The session's tree, generated in this process (another hash seed, another cwd).
    assert first == {path: p.read_bytes() for path, p in existing_files(brownie_output).items()}
