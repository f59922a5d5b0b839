"""The generated rules and unit tests under the real promtool, plus independent seed scenarios."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.output import write
from generator.pipeline import Result, run

from .conftest import require_tool, run_tool

GOLDEN_SPECS = Path(__file__).resolve().parent / "golden" / "specs"


def _tree(tmp_path: Path, result: Result) -> Path:
    out = tmp_path / "out"
    write(out, result.texts)
    return out


@pytest.mark.promtool
@pytest.mark.parametrize("which", ["brownie", "golden"])
def test_promtool_checks_and_tests_pass(tmp_path: Path, brownie: Result, which: str) -> None:
    promtool = require_tool("promtool")
    result = brownie if which == "brownie" else run(GOLDEN_SPECS)
    out = _tree(tmp_path, result)
    rules = sorted(str(p) for p in (out / "prometheus" / "rules").glob("*.yml"))
    tests = sorted(str(p) for p in (out / "prometheus" / "tests").glob("*.yml"))
    check = run_tool(promtool, "check", "rules", "--lint-fatal", *rules)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "SUCCESS" in check.stdout
    test = run_tool(promtool, "test", "rules", *tests)
    assert test.returncode == 0, test.stdout + test.stderr
    assert test.stdout.count("SUCCESS") == len(tests)


@pytest.mark.promtool
def test_generated_tests_catch_a_moved_threshold(tmp_path: Path, brownie: Result) -> None:
    """The examples are real tests: moving a threshold in the rule file must make them fail."""
    promtool = require_tool("promtool")
    out = _tree(tmp_path, brownie)
    rules = out / "prometheus" / "rules" / "brownie-metadata.rules.yml"
    text = rules.read_text()
    assert "ratio_rate5m > 0.1\n" in text
    rules.write_text(text.replace("ratio_rate5m > 0.1\n", "ratio_rate5m > 0.2\n"))
    test = run_tool(
        promtool, "test", "rules", str(out / "prometheus" / "tests" / "brownie-metadata.test.yml")
    )
    assert test.returncode == 1
    assert "CriticalErrorRate: 12% of requests fail" in test.stdout + test.stderr


# --- independent scenarios: series written here from brownie-service.md, not from the spec ---

JOB = 'job="brownie-metadata-app",namespace="brownie-metadata",instance="10.9.9.9:8000"'
UP = {f"up{{{JOB}}}": "1x200"}


def _requests(ok: int, bad: int) -> dict[str, str]:
    base = f'{JOB},method="POST",handler="/api/v1/items"'
    return {
        f'brownie_http_requests_total{{{base},status="201"}}': f"0+{ok}x60",
        f'brownie_http_requests_total{{{base},status="500"}}': f"0+{bad}x60",
        f'brownie_http_requests_total{{{base},status="404"}}': "0+3x60",
    }


def _latency(seconds_bucket: str) -> dict[str, str]:
    buckets = ["0.05", "0.1", "0.25", "0.5", "1", "2", "5", "10", "+Inf"]
    at = buckets.index(seconds_bucket)
    return {
        f'brownie_http_request_duration_seconds_bucket{{{JOB},method="GET",handler="/h",le="{le}"}}': (
            "0+20x60" if i >= at else "0x60"
        )
        for i, le in enumerate(buckets)
    }


def _resolution(bucket: str) -> dict[str, str]:
    buckets = ["300", "900", "1800", "3600", "7200", "14400", "+Inf"]
    at = buckets.index(bucket)
    return {
        f'brownie_incident_resolution_duration_seconds_bucket{{{JOB},le="{le}"}}': (
            "0+4x200" if i >= at else "0x200"
        )
        for i, le in enumerate(buckets)
    }


# (name, series, eval time, alerts expected firing at that time)
SCENARIOS: list[tuple[str, dict[str, str], str, set[str]]] = [
    ("healthy", {**UP, **_requests(100, 0), **_latency("0.1")}, "20m", set()),
    ("11% errors", {**UP, **_requests(86, 11)}, "20m", {"CriticalErrorRate", "HighErrorRate"}),
    ("8% errors", {**UP, **_requests(89, 8)}, "20m", {"HighErrorRate"}),
    ("4% errors", {**UP, **_requests(93, 4)}, "20m", set()),
    ("11% errors, not yet 5 minutes", {**UP, **_requests(86, 11)}, "4m", set()),
    ("p95 in 5-10 s", {**UP, **_latency("10")}, "20m", {"CriticalResponseTime", "HighResponseTime"}),
    ("p95 in 2-5 s", {**UP, **_latency("5")}, "20m", {"HighResponseTime"}),
    ("p95 in 1-2 s", {**UP, **_latency("2")}, "20m", set()),
    (
        "81 connections",
        {**UP, f'brownie_db_connections_active{{{JOB},pool="main"}}': "81x60"},
        "10m",
        {"DatabaseConnectionHigh"},
    ),
    ("80 connections", {**UP, f'brownie_db_connections_active{{{JOB},pool="main"}}': "80x60"}, "10m", set()),
    (
        "81 connections for 3 minutes",
        {**UP, f'brownie_db_connections_active{{{JOB},pool="main"}}': "10x7 81x10"},
        "10m",
        set(),
    ),
    (
        "12 incidents in the last hour",
        {**UP, f'brownie_incidents_created_total{{{JOB},severity="minor"}}': "0+0.2x200"},
        "2h",
        {"HighIncidentVolume"},
    ),
    (
        "8 incidents in the last hour",
        {**UP, f'brownie_incidents_created_total{{{JOB},severity="minor"}}': "0+0.1333x200"},
        "2h",
        set(),
    ),
    ("p95 resolution 1-2 h", {**UP, **_resolution("7200")}, "60m", {"LongIncidentResolution"}),
    ("p95 resolution 30-60 min", {**UP, **_resolution("3600")}, "60m", set()),
    ("target down 2 minutes", {f"up{{{JOB}}}": "1x10 0x5"}, "13m", {"ServiceDown"}),
    ("target down 30 seconds", {f"up{{{JOB}}}": "1x10 0"}, "10m30s", set()),
    ("no target of the job at all", {'up{job="other",instance="x:1"}': "1x20"}, "5m", {"ServiceDown"}),
]


@pytest.mark.promtool
def test_seed_alerts_fire_exactly_as_brownie_service_md_says(tmp_path: Path, brownie: Result) -> None:
    promtool = require_tool("promtool")
    out = _tree(tmp_path, brownie)
    shutil.copy(out / "prometheus" / "rules" / "brownie-metadata.rules.yml", tmp_path / "rules.yml")
    tests = []
    for name, series, at, firing in SCENARIOS:
        tests.append(
            {
                "name": name,
                "interval": "1m",
                "input_series": [{"series": s, "values": v} for s, v in series.items()],
                "promql_expr_test": [
                    {
                        "expr": 'count by (alertname) (ALERTS{alertstate="firing"})',
                        "eval_time": at,
                        "exp_samples": [
                            {"labels": f'{{alertname="{a}"}}', "value": 1} for a in sorted(firing)
                        ],
                    }
                ],
            }
        )
    doc = {"rule_files": ["rules.yml"], "evaluation_interval": "1m", "tests": tests}
    (tmp_path / "independent.test.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
    test = run_tool(promtool, "test", "rules", "independent.test.yml", cwd=tmp_path)
    assert test.returncode == 0, test.stdout + test.stderr
