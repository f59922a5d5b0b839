"""Evaluation tiers: rules at the `source` (every Prometheus) or `global` (the ruler over them).

The tree says the tier in its paths; promtool evaluates the global rules on the source records;
the eval/ checks refuse a global rule that reads what the global layer lacks, that fires once per
replica, or that drops a source label a route needs, and a source rule reading a global record.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .conftest import require_tool, run_tool

SPEC = textwrap.dedent(
    """
    from generator import Alert, Example, GlobalLayer, Metric, Routing, Route, Service, Signal, Targets, Thanos, Webhook

    ERR = 'api_requests_total{job="api",namespace="shop",instance="a:80",code="500"}'
    OK = 'api_requests_total{job="api",namespace="shop",instance="a:80",code="200"}'

    errors = Signal(
        name="error_ratio",
        expr='sum by (job, namespace) (rate(api_requests_total{job="api",code=~"5.."}[5m]))'
        ' / sum by (job, namespace) (rate(api_requests_total{job="api"}[5m]))',
        unit="percentunit",
        record="job_namespace:api_errors:ratio_rate5m",
    )
    fleet = Signal(
        name="fleet_error_ratio",
        expr='FLEET',
        unit="percentunit",
        record="job_namespace:api_errors:ratio_rate5m_fleet",
        evaluation="global",
    )
    service = Service(
        name="api", title="API", version="1.0.0", team="api-team",
        metrics=(Metric(name="api_requests_total", type="counter", labels=("code",)),),
        signals=(errors,),
        alerts=(
            Alert(name="ApiErrorsFleet", signal=fleet, threshold=0.1, for_="5m", severity="critical",
                  summary="API errors above 10% across the fleet", runbook_url="https://wiki.example.com/api",
                  examples=(Example(name="half fail", series={ERR: "0+30x20", OK: "0+30x20"}, at="15m", fires=True),
                            Example(name="none fail", series={ERR: "0x20", OK: "0+30x20"}, at="15m", fires=False))),
            EXTRA
        ),
    )
    targets = Targets(thanos=Thanos(), global_layer=GlobalLayer(external_labels=("cluster", "replica")))
    routing = Routing(routes=(Route(matchers=('cluster="eu-1"',), receivers=("eu",)),),
                      receivers=(Webhook(name="eu", url="http://127.0.0.1:9/eu"),))
    """
)
GOOD = "max by (job, namespace, cluster) (job_namespace:api_errors:ratio_rate5m)"


def _spec(fleet: str = GOOD, extra: str = "") -> str:
    return SPEC.replace("FLEET", fleet).replace("EXTRA", extra)


def _generate(specs: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    return result.exit_code, result.output


def _findings(output: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in output.splitlines() if ": error eval/" in line]


def test_global_rules_go_to_files_that_say_the_tier(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, output = _generate(write_specs({"api.py": _spec()}), out)
    assert code == 0, output
    source = yaml.safe_load((out / "prometheus/rules/api.rules.yml").read_text())
    tier = yaml.safe_load((out / "prometheus/rules/api.global.rules.yml").read_text())
    assert [r.get("record") or r.get("alert") for r in source["groups"][0]["rules"]] == [
        "job_namespace:api_errors:ratio_rate5m"
    ]
    assert [r.get("record") or r.get("alert") for r in tier["groups"][0]["rules"]] == [
        "job_namespace:api_errors:ratio_rate5m_fleet",
        "ApiErrorsFleet",
    ]
    assert sorted(p.name for p in (out / "thanos/rules").iterdir()) == [
        "api.global.rules.yml",
        "api.rules.yml",
    ]
    tests = yaml.safe_load((out / "prometheus/tests/api.test.yml").read_text())
    assert tests["rule_files"] == ["../rules/api.rules.yml", "../rules/api.global.rules.yml"]


@pytest.mark.promtool
def test_promtool_evaluates_the_global_rules_on_the_source_records(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    promtool = require_tool("promtool")
    out = tmp_path / "out"
    code, output = _generate(write_specs({"api.py": _spec()}), out)
    assert code == 0, output
    result = run_tool(promtool, "test", "rules", str(out / "prometheus/tests/api.test.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_global_alert_that_keeps_the_replica_label_is_refused(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    code, output = _generate(
        write_specs({"api.py": _spec(fleet="job_namespace:api_errors:ratio_rate5m")}), tmp_path / "out"
    )
    assert code == 4
    assert _findings(output) == [
        "error eval/global-labels: alert 'ApiErrorsFleet': is evaluated at the global tier and keeps replica "
        "label 'replica', so it fires once per replica; aggregate it away, e.g. `max without (replica) (...)`"
    ]


def test_a_global_alert_that_drops_a_label_a_route_needs_is_refused(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    fleet = "max by (job, namespace) (job_namespace:api_errors:ratio_rate5m)"
    code, output = _generate(write_specs({"api.py": _spec(fleet=fleet)}), tmp_path / "out")
    assert code == 4
    assert _findings(output) == [
        "error eval/global-labels: alert 'ApiErrorsFleet': is evaluated at the global tier and drops 'cluster', "
        "which every source adds and a route matcher in alertmanager/alertmanager.staging.yml uses, so "
        "Alertmanager treats this alert as having none; keep it (`by (..., cluster)`)"
    ]


def test_a_global_rule_reading_an_unforwarded_raw_series_is_refused(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    fleet = 'max by (job, namespace, cluster) (rate(api_requests_total{job="api"}[5m]))'
    code, output = _generate(write_specs({"api.py": _spec(fleet=fleet)}), tmp_path / "out")
    assert code == 4
    assert _findings(output) == [
        "error eval/unavailable-input: rule 'job_namespace:api_errors:ratio_rate5m_fleet': is evaluated "
        "at the global tier but reads raw series 'api_requests_total', which no source forwards there, so the "
        "query returns nothing; read a source signal's record instead, or list it in GlobalLayer(forwarded=...) "
        "if every source sends it"
    ]
    forwarded = _spec(fleet=fleet).replace(
        'GlobalLayer(external_labels=("cluster", "replica"))',
        'GlobalLayer(external_labels=("cluster", "replica"), forwarded=("api_requests_total",))',
    )
    code, output = _generate(write_specs({"api.py": forwarded}), tmp_path / "out")
    assert code == 0, output


def test_a_source_alert_reading_a_global_record_is_refused(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    extra = (
        'Alert(name="ApiErrorsHere", expr="job_namespace:api_errors:ratio_rate5m_fleet > 0.5", evaluation="source", severity="critical", '
        'summary="API errors", runbook_url="https://wiki.example.com/api"),'
    )
    code, output = _generate(write_specs({"api.py": _spec(extra=extra)}), tmp_path / "out")
    assert code == 4
    assert _findings(output) == [
        "error eval/unavailable-input: alert 'ApiErrorsHere': is evaluated at the source but reads "
        "'job_namespace:api_errors:ratio_rate5m_fleet', which only the global ruler records, so no source "
        "Prometheus has it; evaluate this rule at the global tier (evaluation='global') or read the source series"
    ]
