"""The dashboard's queries under the real promtool: with a namespace and instance chosen, as an
on-call engineer would, each alert's panel, the firing-alerts table and the annotation all show
data at the moment the alert's own example fires."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.layout import ALERTS_PANEL_ID
from generator.model import ResolvedAlert
from generator.pipeline import Result
from generator.promql.concrete import series_labels

from .conftest import require_tool, run_tool

JOB = "brownie-metadata-app"
NAMESPACE = "brownie-metadata"
INSTANCE = "10.0.0.12:8000"
# Grafana's interpolation of the variables: one value chosen, or "All" (the variables' allValue).
CHOICES = {
    "chosen": {"job": JOB, "namespace": NAMESPACE, "instance": INSTANCE},
    "all": {"job": ".+", "namespace": ".+", "instance": ".+"},
}


def interpolate(expr: str, values: dict[str, str]) -> str:
    return re.sub(r"\$(job|namespace|instance)", lambda m: values[m.group(1)], expr)


def own_series(series: Mapping[str, str]) -> bool:
    """Whether an example's input is the service's own target (not "no target of the job exists")."""
    return all(series_labels(s).get("namespace") == NAMESPACE for s in series)


def expr_tests(
    alert: ResolvedAlert, board: dict[str, Any], values: dict[str, str], ids: Mapping[str, int]
) -> list[dict[str, Any]]:
    panels = {p["id"]: p for p in board["panels"]}
    table = panels[ALERTS_PANEL_ID]["targets"][0]["expr"]
    annotation = board["annotations"]["list"][0]["expr"]
    tests = []
    for case in (c for c in alert.tests if c.fires):
        checks = [
            # Exactly this alert, once, in the table and among the annotation's series.
            f"count({table.replace('ALERTS{', f'ALERTS{{alertname={json.dumps(alert.name)},', 1)})",
            f"count({annotation.replace('ALERTS{', f'ALERTS{{alertname={json.dumps(alert.name)},', 1)})",
        ]
        if own_series(case.series):
            panel = panels[ids[alert.signal.name]]
            (query,) = [t["expr"] for t in panel["targets"] if t["expr"].startswith(alert.record)]
            checks.append(f"count({query}) > bool 0")
        tests.append(
            {
                "interval": case.interval.text,
                "input_series": [{"series": s, "values": v} for s, v in case.series.items()],
                "promql_expr_test": [
                    {
                        "expr": interpolate(expr, values),
                        "eval_time": case.at.text,
                        "exp_samples": [{"labels": "{}", "value": 1}],
                    }
                    for expr in checks
                ],
            }
        )
    return tests


@pytest.mark.promtool
@pytest.mark.parametrize("choice", sorted(CHOICES))
def test_dashboard_queries_show_each_firing_alert(tmp_path: Path, brownie: Result, choice: str) -> None:
    promtool = require_tool("promtool")
    service = brownie.model.services[0]
    board = json.loads(brownie.texts[conv.dashboard_path(service.name)])
    (tmp_path / "rules.yml").write_text(brownie.texts[conv.rules_path(service.name)])
    ids = {r.signal.name: p.id for row in service.rows for p in row.panels for r in p.recordings}
    tests = [t for a in service.alerts for t in expr_tests(a, board, CHOICES[choice], ids)]
    assert len(tests) == sum(1 for a in service.alerts for c in a.tests if c.fires) == 9
    doc = {"rule_files": ["rules.yml"], "evaluation_interval": "1m", "tests": tests}
    (tmp_path / "dashboard.test.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
    result = run_tool(promtool, "test", "rules", "dashboard.test.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
