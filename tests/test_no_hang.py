"""Nothing in the out folder or the specs folder makes alertgen hang: FIFOs, endless devices,
YAML aliases that expand exponentially. Each command runs with a deadline and must finish."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT
from .processes import children, still_running

FIXTURE = ROOT / "tests" / "golden" / "specs"


def _alertgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,  # a hang fails the test here
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def _tree(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert _alertgen("generate", "--specs", str(FIXTURE), "--out", str(out), cwd=tmp_path).returncode == 0
    return out


def test_a_fifo_and_an_endless_device_in_the_out_folder(tmp_path: Path) -> None:
    out = _tree(tmp_path)
    rules = out / "prometheus" / "rules" / "checkout.rules.yml"
    rules.unlink()
    os.mkfifo(rules)
    (out / "runbooks" / "zero.md").symlink_to("/dev/zero")
    check = _alertgen("generate", "--specs", str(FIXTURE), "--out", str(out), "--check", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [
        "changed: prometheus/rules/checkout.rules.yml",
        "stale: runbooks/zero.md",
    ]
    assert _alertgen("check", "--specs", str(FIXTURE), "--out", str(out), cwd=tmp_path).returncode == 0
    written = _alertgen("generate", "--specs", str(FIXTURE), "--out", str(out), cwd=tmp_path)
    assert written.returncode == 0
    assert rules.is_file() and not (out / "runbooks" / "zero.md").is_symlink()


def test_a_fifo_as_a_spec_module(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "checkout.py").write_text((FIXTURE / "checkout.py").read_text())
    os.mkfifo(specs / "waiting.py")
    result = _alertgen("generate", "--specs", "specs", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "specs/waiting.py: not a regular file; a spec is a .py file",
        "alertgen: 1 error in specs; nothing written",
    ]


def test_yaml_aliases_in_a_hand_edited_config_are_refused_not_expanded(tmp_path: Path) -> None:
    out = _tree(tmp_path)
    laughs = ["route:", "  receiver: x", "  routes: &l0 [{receiver: x}]"]
    laughs += [
        f"x{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]"
        for i in range(1, 40)
    ]
    (out / "alertmanager" / "alertmanager.yml").write_text("\n".join(laughs) + "\n")
    result = _alertgen("check", "--specs", str(FIXTURE), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 4
    assert (
        "out/alertmanager/alertmanager.yml: error artifact/invalid: cannot be read as an Alertmanager config: "
        "YAML aliases (*name) are not used in generated files; write the value out"
    ) in result.stdout


def _spinning(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`alertgen generate` on a spec module that loops forever, in a session of its own (as from a
    terminal), and its workers, once the module is spinning in one."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "spin.py").write_text("while True:\n    pass\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--specs",
            "specs",
            "--out",
            "out",
            "--timeout",
            "600",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while not children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = children(proc.pid)
    assert workers, "alertgen started no worker for the spec module"
    time.sleep(0.5)  # the worker is spinning in the spec now
    return proc, workers


def test_no_worker_is_left_spinning_when_alertgen_is_killed(tmp_path: Path) -> None:
    proc, workers = _spinning(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # no worker holds its output open
    assert still_running(workers, within=10) == []


def test_ctrl_c_while_a_spec_module_loops_ends_the_run(tmp_path: Path) -> None:
    """Ctrl-C reaches alertgen, not the spec: the module still running past a short grace is
    stopped, and the run ends with one line and exit 130, writing nothing."""
    proc, workers = _spinning(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends Ctrl-C: to the whole process group
    stdout, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stdout, stderr) == (130, "", "alertgen: interrupted\n")
    assert not (tmp_path / "out").exists()
    assert still_running(workers, within=10) == []
