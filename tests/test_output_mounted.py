"""An out folder that is a mount point (a volume in a container, a tmpfs) cannot be renamed:
generate swaps its entries instead, and a run killed while doing so is rolled back next time."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "golden" / "specs"


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mounted at tmp_path/out (root only: CI runs as root, so there it must work)."""
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "tmpfs", str(out)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs for the test: {proc.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield out
    finally:
        subprocess.run(["umount", str(out)], check=False)


def _generate(specs: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    return result.exit_code, result.stdout + result.stderr


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_mounted_out_folder_is_written_and_stays_mounted(mounted: Path, tmp_path: Path) -> None:
    code, said = _generate(FIXTURE, mounted)
    assert code == 0, said
    assert os.path.ismount(mounted)
    first = _tree(mounted)
    assert "prometheus/rules/checkout.rules.yml" in first
    specs = tmp_path / "specs"
    specs.mkdir()
    source = (FIXTURE / "checkout.py").read_text()
    assert "threshold=0.05" in source
    (specs / "checkout.py").write_text(source.replace("threshold=0.05", "threshold=0.04", 1))
    code, said = _generate(specs, mounted)
    assert code == 0, said
    assert "updated: prometheus/rules/checkout.rules.yml" in said
    assert os.path.ismount(mounted)
    assert sorted(_tree(mounted)) == sorted(first)  # no leftovers of the swap
    assert _tree(mounted) != first


@pytest.mark.parametrize("killed", ["setting-aside", "moving-in"])
def test_a_swap_killed_half_way_is_rolled_back_before_the_next_write(mounted: Path, killed: str) -> None:
    assert _generate(FIXTURE, mounted)[0] == 0
    before = _tree(mounted)
    # What a run killed in the middle of _swap_entries leaves behind.
    old = mounted / ".alertgen-old-4242"
    old.mkdir()
    (mounted / "prometheus").rename(old / "prometheus")
    if killed == "moving-in":
        for entry in list(mounted.iterdir()):
            if entry != old:
                entry.rename(old / entry.name)
        (old / ".complete").touch()
        (mounted / "half-new").write_text("a new entry moved in\n")
    (mounted / ".alertgen-new-4242").mkdir()
    code, said = _generate(FIXTURE, mounted)
    assert code == 0, said
    assert _tree(mounted) == before
    assert said.splitlines()[-1] == f"{mounted}: unchanged ({len(before) - 1} files)"
