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

from .bench.synth import write_specs
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


def _tree(specs: Path, out: Path, *args: str) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--specs", str(specs), "--out", str(out), *args],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=out.parent,
    )
    return {path: p.read_bytes() for path, p in existing_files(out).items()}


def test_one_process_and_a_pool_give_identical_trees(tmp_path: Path) -> None:
    # Several modules sharing a teams module and a helpers module, as a repository grows.
    specs = tmp_path / "specs"
    write_specs(specs, 5)
    alone = _tree(specs, tmp_path / "j1", "-j", "1")
    pooled = _tree(specs, tmp_path / "j2", "-j", "2")
    wide = _tree(specs, tmp_path / "j5", "--jobs", "5")
    assert len(alone) == 1 + 4 * 5 + 6  # marker, 4 files per service, 6 for the whole model
    assert alone == pooled == wide


def test_spec_errors_are_the_same_in_one_process_and_in_a_pool(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write_specs(specs, 4)
    broken = [m for m in sorted(specs.glob("*.py")) if 'for_="' in m.read_text()][:3]
    assert len(broken) == 3
    for module in broken:  # three modules, each with its own mistake
        module.write_text(module.read_text().replace('for_="', 'for_="x', 1))
    runs = [
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                "--specs",
                str(specs),
                "--out",
                "out",
                "-j",
                jobs,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=tmp_path,
        )
        for jobs in ("1", "2")
    ]
    assert [r.returncode for r in runs] == [2, 2]
    assert runs[0].stderr == runs[1].stderr
    lines = runs[0].stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [f"specs/{m.name}" for m in broken]
    assert lines[-1] == "alertgen: 3 errors in specs; nothing written"
    assert not (tmp_path / "out").exists()
