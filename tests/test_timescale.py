"""The test-only time scale: durations shrink, nothing else changes, and the rules still mean the same."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import Result, run
from generator.timescale import scale_expr
from tests.conftest import SPECS, require_tool, run_tool


@pytest.mark.parametrize(
    ("expr", "scaled"),
    [
        ("rate(x[5m])", "rate(x[5s])"),
        ("increase(x[1h30m])", "increase(x[1m30s])"),
        ("max_over_time(rate(x[5m])[1h:1m])", "max_over_time(rate(x[5s])[1m:1s])"),
        ("max_over_time(rate(x[5m])[1h:])", "max_over_time(rate(x[5s])[1m:])"),
        ("rate(x[5m] offset 1h)", "rate(x[5s] offset 1m)"),
        ("x OFFSET -30m", "x OFFSET -30s"),
        ("rate(x[30s])", "rate(x[500ms])"),
        # A range-like text inside a label value or a comment is data, not a window.
        ("rate(x{path=\"/a[5m]\", b='offset 5m'}[5m])", "rate(x{path=\"/a[5m]\", b='offset 5m'}[5s])"),
        ('rate(x{path="q\\"[5m]"}[5m])', 'rate(x{path="q\\"[5m]"}[5s])'),
        ("rate(x[5m]) # was [10m]\n> 1", "rate(x[5s]) # was [10m]\n> 1"),
        ("up == 0", "up == 0"),
    ],
)
def test_scale_expr_divides_every_window_and_offset(expr: str, scaled: str) -> None:
    assert scale_expr(expr, 60) == scaled


@pytest.fixture(scope="module")
def scaled() -> Result:
    return run(SPECS, time_scale=60)


def _rules(result: Result) -> list[dict[str, object]]:
    text = result.texts["prometheus/rules/brownie-metadata.rules.yml"]
    group = yaml.safe_load(text)["groups"][0]
    assert isinstance(group, dict)
    return list(group["rules"])


def test_only_durations_change(brownie: Result, scaled: Result) -> None:
    real, fast = _rules(brownie), _rules(scaled)
    assert [r.get("alert") or r.get("record") for r in fast] == [
        r.get("alert") or r.get("record") for r in real
    ]
    for a, b in zip(real, fast, strict=True):
        assert b.get("labels") == a.get("labels")
        assert b.get("annotations") == a.get("annotations")
    alerts = {r["alert"]: r for r in fast if "alert" in r}
    assert (
        alerts["CriticalErrorRate"]["expr"] == "job_namespace:brownie_http_requests_errors:ratio_rate5m > 0.1"
    )
    assert alerts["CriticalErrorRate"]["for"] == "5s"
    assert alerts["ServiceDown"]["for"] == "1s"
    assert alerts["LongIncidentResolution"]["for"] == "15s"
    assert "for" not in alerts["HighIncidentVolume"]
    records = {r["record"]: r["expr"] for r in fast if "record" in r}
    assert "[1m]" in records["job_namespace:brownie_incidents_created:increase1h"]
    assert "[5s]" in records["job_namespace:brownie_http_requests_errors:ratio_rate5m"]
    head = scaled.texts["prometheus/rules/brownie-metadata.rules.yml"]
    assert "\n  interval: 1s\n" in head


@pytest.mark.promtool
def test_scaled_rules_pass_their_scaled_unit_tests(scaled: Result, tmp_path: Path) -> None:
    """Every example of the spec still holds when series steps and eval times shrink with the rules."""
    promtool = require_tool("promtool")
    for path, text in scaled.texts.items():
        if path.startswith("prometheus/"):
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    tests = tmp_path / "prometheus/tests/brownie-metadata.test.yml"
    assert "evaluation_interval: 1s" in tests.read_text()
    proc = run_tool(promtool, "test", "rules", tests.name, cwd=tests.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_time_scale_is_hidden_and_at_least_one(tmp_path: Path) -> None:
    runner = CliRunner()
    assert "--time-scale" not in runner.invoke(main, ["generate", "--help"]).output
    bad = runner.invoke(
        main, ["generate", "--specs", str(SPECS), "--out", str(tmp_path), "--time-scale", "0.5"]
    )
    assert bad.exit_code == 2
    assert "0.5 is not in the range x>=1" in bad.output
    ok = runner.invoke(
        main, ["generate", "--specs", str(SPECS), "--out", str(tmp_path), "--time-scale", "60"]
    )
    assert ok.exit_code == 0, ok.output
    assert "for: 5s" in (tmp_path / "prometheus/rules/brownie-metadata.rules.yml").read_text()
