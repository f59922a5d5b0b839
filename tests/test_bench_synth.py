"""The benchmark's synthetic spec set stays valid: two services through the whole pipeline.

`make bench` measures 10,000 alerts of these specs; if they stopped loading, raised check
findings or carried wrong examples, the benchmark would measure an error path instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.output import write
from generator.pipeline import run

from .bench.synth import ALERTS_PER_SERVICE, write_specs
from .conftest import require_tool, run_tool


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two synthetic services rendered into an output tree."""
    root = tmp_path_factory.mktemp("synth")
    alerts = write_specs(root / "specs", 2)
    assert alerts == 2 * ALERTS_PER_SERVICE
    result = run(root / "specs")
    assert sum(len(s.alerts) for s in result.model.services) == alerts
    assert result.model.warnings == ()
    assert [f"{f.where}: {f.check}: {f.message}" for f in result.findings] == []
    write(root / "out", result.texts)
    return root / "out"


def test_every_artifact_is_rendered(synthetic: Path) -> None:
    files = sorted(str(p.relative_to(synthetic)) for p in synthetic.rglob("*") if p.is_file())
    for service in ("orders-api", "payments-api"):
        for path in (
            f"prometheus/rules/{service}.rules.yml",
            f"prometheus/tests/{service}.test.yml",
            f"grafana/dashboards/{service}.json",
            f"runbooks/{service}.md",
        ):
            assert path in files
    assert "alertmanager/alertmanager.yml" in files


@pytest.mark.promtool
def test_rules_pass_promtool_and_every_example_holds(synthetic: Path) -> None:
    promtool = require_tool("promtool")
    rules = sorted(str(p) for p in (synthetic / "prometheus" / "rules").glob("*.yml"))
    checked = run_tool(promtool, "check", "rules", "--lint-fatal", *rules)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tests = sorted(str(p) for p in (synthetic / "prometheus" / "tests").glob("*.yml"))
    tested = run_tool(promtool, "test", "rules", *tests)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert tested.stdout.count("SUCCESS") == 2


@pytest.mark.amtool
def test_alertmanager_config_passes_amtool(synthetic: Path) -> None:
    amtool = require_tool("amtool")
    checked = run_tool(amtool, "check-config", str(synthetic / "alertmanager" / "alertmanager.yml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
