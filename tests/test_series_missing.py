"""`alertgen check --prometheus URL` when no Prometheus answers: one usage error, no traceback.

The check's findings against a real Prometheus are tested in tests/e2e/test_e2e.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SPECS
from tests.e2e.procs import free_port


def test_unreachable_prometheus_is_a_one_line_usage_error(brownie_output: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "check",
            "--specs",
            str(SPECS),
            "--out",
            str(brownie_output),
            "--prometheus",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--prometheus': cannot query {url}: <urlopen error [Errno 111] Connection refused>"
    )
