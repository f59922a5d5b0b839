"""`alertgen generate` renders rules and runbooks in a forked process: same files as in one."""

from __future__ import annotations

import sys

import pytest

from generator.pipeline import Result
from generator.render import render_all


@pytest.mark.skipif(sys.platform != "linux", reason="the second process is forked, on Linux only")
def test_two_processes_render_the_same_files(brownie: Result) -> None:
    assert render_all(brownie.model, processes=2) == render_all(brownie.model)
    assert any(path.startswith("runbooks/") for path in brownie.files)
    assert any(path.startswith("grafana/dashboards/") for path in brownie.files)
