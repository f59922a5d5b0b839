"""The command line through click's runner, and `python -m generator` as a real process."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import ROOT, SPECS


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_generate_then_unchanged_then_check_clean(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = _invoke("generate", "--specs", str(SPECS), "--out", str(out))
    assert code == 0
    assert "added: prometheus/rules/brownie-metadata.rules.yml" in stdout.splitlines()
    rules = out / "prometheus" / "rules" / "brownie-metadata.rules.yml"
    inode, mtime = rules.stat().st_ino, rules.stat().st_mtime_ns

    code, stdout, _ = _invoke("generate", "--specs", str(SPECS), "--out", str(out))
    assert code == 0
    assert stdout.startswith(f"{out}: unchanged (")
    assert (rules.stat().st_ino, rules.stat().st_mtime_ns) == (inode, mtime)

    code, stdout, _ = _invoke("generate", "--specs", str(SPECS), "--out", str(out), "--check")
    assert code == 0
    assert stdout.startswith(f"{out}: up to date (")


def test_check_lists_drift_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _invoke("generate", "--specs", str(SPECS), "--out", str(out))[0] == 0
    rules = out / "prometheus" / "rules" / "brownie-metadata.rules.yml"
    rules.write_text(rules.read_text().replace("> 0.1", "> 0.2"))
    stale = out / "prometheus" / "rules" / "old.rules.yml"
    stale.write_text("groups: []\n")
    tests = out / "prometheus" / "tests" / "brownie-metadata.test.yml"
    tests.unlink()

    code, stdout, stderr = _invoke("generate", "--specs", str(SPECS), "--out", str(out), "--check")
    assert code == 1
    assert stdout.splitlines() == [
        "changed: prometheus/rules/brownie-metadata.rules.yml",
        "missing: prometheus/tests/brownie-metadata.test.yml",
        "stale: prometheus/rules/old.rules.yml",
    ]
    assert stderr.strip() == f"alertgen: {out} is out of date; run `alertgen generate` and commit the result"
    assert stale.exists() and not tests.exists()


def test_generate_repairs_drift_and_removes_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _invoke("generate", "--specs", str(SPECS), "--out", str(out))[0] == 0
    (out / "prometheus" / "rules" / "old.rules.yml").write_text("groups: []\n")
    rules = out / "prometheus" / "rules" / "brownie-metadata.rules.yml"
    rules.write_text(rules.read_text().replace("> 0.1", "> 0.2"))
    (out / "leftover").mkdir()
    (out / "leftover" / "x.txt").write_text("x")
    code, stdout, _ = _invoke("generate", "--specs", str(SPECS), "--out", str(out))
    assert code == 0
    # What the run did, not what --check would call drift: the stale file is gone now.
    assert "updated: prometheus/rules/brownie-metadata.rules.yml" in stdout.splitlines()
    assert "removed: prometheus/rules/old.rules.yml" in stdout.splitlines()
    assert not (out / "prometheus" / "rules" / "old.rules.yml").exists()
    assert not (out / "leftover").exists()


def test_list_prints_a_table_of_alerts() -> None:
    code, stdout, _ = _invoke("list", "--specs", str(SPECS))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split() == ["SERVICE", "ALERT", "SEVERITY", "CONDITION", "FOR"]
    rows = {line.split()[1]: line for line in lines[1:]}
    assert sorted(rows) == sorted(
        [
            "ServiceDown",
            "CriticalErrorRate",
            "CriticalResponseTime",
            "HighErrorRate",
            "HighResponseTime",
            "DatabaseConnectionHigh",
            "HighIncidentVolume",
            "LongIncidentResolution",
        ]
    )
    assert rows["HighErrorRate"].split()[2] == "warning"
    assert re.split(r"\s{2,}", rows["HighErrorRate"])[-2:] == ["Error ratio > 5%", "5m"]
    assert "Target up == 0 (or no series)" in rows["ServiceDown"]
    assert re.split(r"\s{2,}", rows["LongIncidentResolution"])[-2:] == [
        "p95 incident resolution time > 60 min",
        "15m",
    ]


def test_help_on_every_command() -> None:
    for args in ([], ["generate"], ["list"]):
        code, stdout, _ = _invoke(*args, "--help")
        assert code == 0
        assert "Usage: " in stdout
    assert "--check" in _invoke("generate", "--help")[1]


def test_python_dash_m_is_the_same_program(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--specs",
            str(SPECS),
            "--out",
            str(tmp_path / "o"),
            "--check",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "missing: prometheus/rules/brownie-metadata.rules.yml" in proc.stdout
    version = subprocess.run(
        [sys.executable, "-m", "generator", "--version"], capture_output=True, text=True, env=env, check=False
    )
    assert version.stdout.strip() == "alertgen, version 0.1.0"


def test_unwritable_output_is_one_line_and_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _invoke("generate", "--specs", str(SPECS), "--out", str(out))[0] == 0
    rules = out / "prometheus" / "rules" / "brownie-metadata.rules.yml"
    rules.write_text("# hand edit\n")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def disk_full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    code, _, stderr = _invoke("generate", "--specs", str(SPECS), "--out", str(out))
    monkeypatch.undo()
    assert code == 5
    assert len(stderr.splitlines()) == 1
    assert stderr.startswith(f"alertgen: cannot write {out}: No space left on device (")
    assert stderr.rstrip().endswith("; the previous output is unchanged")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_alertmanager_out_file_is_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "am.yml"
    target.write_text("previous config\n")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    code, _, stderr = _invoke("alertmanager", "--specs", str(SPECS), "--out", str(target))
    assert code == 5
    assert (
        stderr
        == f"alertgen: cannot write {target}: No space left on device; the previous file is unchanged\n"
    )
    assert target.read_text() == "previous config\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["am.yml"]
    monkeypatch.undo()
    assert _invoke("alertmanager", "--specs", str(SPECS), "--out", str(target))[0] == 0
    assert target.read_text().startswith("# Generated by alertgen")
