"""Acceptance: the Brownie output passes every check; hand-made breakages of a copy are caught.

Each breakage edits a copy of the freshly generated Brownie tree the way a person or a
renderer bug would, then runs `alertgen check` on it as a user does.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from generator.cli import EXIT_CHECK, main
from generator.pipeline import Result

from .conftest import SPECS

SCHEMA = Path(__file__).resolve().parent / "sarif" / "sarif-schema-2.1.0.json"
RULES = "prometheus/rules/brownie-metadata.rules.yml"
DASHBOARD = "grafana/dashboards/brownie-metadata.json"
RUNBOOK = "runbooks/brownie-metadata.md"
ALERTMANAGER = "alertmanager/alertmanager.yml"
ERROR_RATIO = "job_namespace:brownie_http_requests_errors:ratio_rate5m"


def _tree(brownie: Result, tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    out = tmp_path / "output"
    for path, text in brownie.texts.items():
        for old, new in edits.get(path, ()):
            assert old in text, f"{path} no longer contains {old!r}; update the breakage"
            text = text.replace(old, new)
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text)
    return out


def _check(out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--specs", str(SPECS), "--out", str(out), *args])
    return result.exit_code, result.stdout


def _errors(out: Path) -> list[dict[str, str]]:
    code, stdout = _check(out, "--format", "json")
    findings = [f for f in json.loads(stdout)["findings"] if f["level"] == "error" and not f["disabled"]]
    assert code == (EXIT_CHECK if findings else 0)
    return findings


def test_brownie_has_no_error_and_its_sarif_is_valid(brownie: Result, tmp_path: Path) -> None:
    out = _tree(brownie, tmp_path, {})
    assert _errors(out) == []
    code, stdout = _check(out, "--format", "sarif")
    assert code == 0
    jsonschema.validate(json.loads(stdout), json.loads(SCHEMA.read_text()))


BREAKAGES = [
    pytest.param(
        # The error ratio's recording rule no longer keeps `namespace`, which the inhibition of
        # HighErrorRate by CriticalErrorRate needs equal on both alerts.
        {
            RULES: [
                (
                    "sum by (job, namespace) (rate(brownie_http_requests_total",
                    "sum by (job) (rate(brownie_http_requests_total",
                )
            ]
        },
        "label/dropped-by-aggregation",
        {"CriticalErrorRate", "HighErrorRate"},
        "inhibit rule",
        id="recording-rule-drops-an-equal-label",
    ),
    pytest.param(
        {DASHBOARD: [('"value": 0.1\n', '"value": 0.15\n')]},
        "dashboard/threshold-mismatch",
        {"CriticalErrorRate"},
        "but the alert fires at 0.1",
        id="dashboard-threshold-moved",
    ),
    pytest.param(
        {RUNBOOK: [("### Critical Error Rate\n", "### Error Rate Critical\n")]},
        "runbook/anchor-broken",
        {"CriticalErrorRate"},
        "#critical-error-rate",
        id="runbook-heading-renamed",
    ),
    pytest.param(
        {
            ALERTMANAGER: [
                (
                    '- receiver: brownie-oncall\n      matchers:\n      - severity="critical"',
                    '- receiver: brownie-oncall\n      matchers:\n      - severity="page"',
                )
            ]
        },
        "route/unexpected",
        {"ServiceDown", "CriticalErrorRate", "CriticalResponseTime"},
        "does not reach 'brownie-oncall'",
        id="route-no-longer-reaches-the-pager",
    ),
]


@pytest.mark.parametrize(("edits", "check_id", "alerts", "words"), BREAKAGES)
def test_breakage_is_caught_with_the_right_id(
    brownie: Result,
    tmp_path: Path,
    edits: dict[str, list[tuple[str, str]]],
    check_id: str,
    alerts: set[str],
    words: str,
) -> None:
    found = [f for f in _errors(_tree(brownie, tmp_path, edits)) if f["check"] == check_id]
    assert {f["alert"] for f in found if words in f["message"]} == alerts
