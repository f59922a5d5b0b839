"""`alertgen import --tests` on the corpus: promtool test files read into cases and what is not kept."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from generator.importer.read_tests import read_tests
from generator.importer.source import Expected, SourceCase, Where
from generator.promql.concrete import series_labels
from tests.conftest import SHARED, require_tool

CORPUS = SHARED / "corpus"
TEST_FILES = sorted(
    p for p in CORPUS.rglob("*.yaml") if p.name.endswith("_tests.yaml") or p.name == "tests.yaml"
)


def test_the_corpus_has_test_files() -> None:
    names = {p.relative_to(CORPUS).as_posix() for p in TEST_FILES}
    assert {"thanos/tests.yaml", "govuk-helm-charts/router_tests.yaml"} <= names
    assert len(names) == 6


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_each_corpus_test_file_reads_one_case_per_alert_rule_test(path: Path) -> None:
    cases, errors, _ = read_tests([path])
    assert errors == []
    data = yaml.safe_load(path.read_text())
    entries = [entry for group in data["tests"] for entry in group.get("alert_rule_test") or []]
    assert len(cases) == len(entries)
    assert [c.alertname for c in cases] == [e["alertname"] for e in entries]
    assert [c.eval_time for c in cases] == [e["eval_time"] for e in entries]
    assert [len(c.expected) for c in cases] == [len(e.get("exp_alerts") or []) for e in entries]
    lines = path.read_text().splitlines()
    for case in cases:
        assert case.where.path == str(path)
        assert "alertname:" in lines[case.where.line - 1] or "eval_time:" in lines[case.where.line - 1]
        for selector, values in case.series.items():
            assert "\n" not in selector and "  " not in selector and "\n" not in values
            assert values == " ".join(values.split())
            # The one-line form names the same series promtool reads.
            assert series_labels(selector)


def test_corpus_cases_together() -> None:
    cases, errors, not_kept = read_tests(TEST_FILES)
    assert errors == []
    assert len(cases) == sum(len(read_tests([p])[0]) for p in TEST_FILES)
    # Only router and whitehall have promql_expr_test entries, and nothing else is dropped.
    assert all("promql_expr_test of `" in line for line in not_kept)
    assert len(not_kept) == 5


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_each_case_alone_passes_promtool_on_the_peers_rules(path: Path, tmp_path: Path) -> None:
    # What a case holds is all its example needs: one test per case, rebuilt from it alone
    # (one-line series, values, interval, eval_time, expected alerts), passes on the peer's rules.
    promtool = require_tool("promtool")
    cases, _, _ = read_tests([path])
    rule_files = yaml.safe_load(path.read_text())["rule_files"]
    for name in rule_files:
        shutil.copy(path.parent / name, tmp_path / name)
    tests = [
        {
            "interval": case.interval,
            "input_series": [{"series": s, "values": v} for s, v in case.series.items()],
            "alert_rule_test": [
                {
                    "alertname": case.alertname,
                    "eval_time": case.eval_time,
                    "exp_alerts": [
                        {"exp_labels": dict(e.labels), "exp_annotations": dict(e.annotations)}
                        for e in case.expected
                    ],
                }
            ],
        }
        for case in cases
    ]
    rebuilt = tmp_path / "rebuilt_tests.yaml"
    rebuilt.write_text(yaml.safe_dump({"rule_files": rule_files, "tests": tests}))
    done = subprocess.run(
        [promtool, "test", "rules", rebuilt.name], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_router_multi_line_series_come_out_on_one_line() -> None:
    path = CORPUS / "govuk-helm-charts" / "router_tests.yaml"
    cases, _, _ = read_tests([path])
    first = cases[0]
    name = "router_backend_handler_response_duration_seconds_count"
    assert list(first.series) == [
        f'{name}{{response_code="200",namespace="apps",job="router",backend_id="foo"}}',
        f'{name}{{response_code="502",namespace="apps",job="router",backend_id="foo"}}',
        f'{name}{{response_code="503",namespace="apps",job="router",backend_id="bar"}}',
    ]
    assert list(first.series.values()) == ["0+89x15", "0+5x15", "0+6x15"]
    assert first == SourceCase(
        alertname="RouterErrorRatioTooHigh",
        series=first.series,
        interval="1m",
        eval_time="15m",
        expected=(
            Expected(
                {"severity": "page", "job": "router"},
                {
                    "summary": "Router error ratio too high",
                    "description": "More than 10% of HTTP responses from Router were 500-series errors "
                    "for 10 minutes.",
                },
            ),
        ),
        where=Where(str(path), 38),
    )
    assert cases[1].series[f'{name}{{response_code="503",namespace="apps",job="router"}}'] == "0+12x8 0x7"
    assert cases[1].expected == ()


def test_folded_block_series_come_out_on_one_line() -> None:
    cases, _, _ = read_tests([CORPUS / "govuk-helm-charts" / "chat_ai_tests.yaml"])
    assert list(cases[0].series) == [
        'http_requests_total{job="govuk-chat",status="200"}',
        'http_requests_total{job="govuk-chat",status="500"}',
    ]


def test_promql_expr_tests_are_not_kept_with_their_lines() -> None:
    path = CORPUS / "govuk-helm-charts" / "router_tests.yaml"
    _, _, not_kept = read_tests([path])
    assert not_kept == [
        f"{path}:20: promql_expr_test of `round(sum by (job) (global:router_requests:rate5m{{ "
        'job="router", response_code=~"5.."}), 1E-4)`: not an alert example; '
        "kept in the peer's test file only",
        f"{path}:26: promql_expr_test of `round(sum by (job) (global:router_requests:rate5m"
        '{job="router"}), 1E-4)`: not an alert example; kept in the peer\'s test file only',
        f"{path}:31: promql_expr_test of `round(sum by (job) (global:router_5xx_responses_per_request:"
        'ratio_rate5m{ job="router"}), 1E-4)`: not an alert example; kept in the peer\'s test file only',
    ]


def test_thanos_cases_without_exp_alerts_are_silent_cases() -> None:
    path = CORPUS / "thanos" / "tests.yaml"
    cases, errors, not_kept = read_tests([path])
    assert (errors, not_kept) == ([], [])
    assert [(c.eval_time, len(c.expected)) for c in cases[:4]] == [
        ("1m", 0),
        ("2m", 0),
        ("3m", 0),
        ("10m", 1),
    ]
    assert cases[0].where == Where(str(path), 19)
    assert cases[3].expected[0].labels["instance"] == "thanos-sidecar-1"


def test_all_corpus_files_read_within_seconds() -> None:
    start = time.perf_counter()
    read_tests(TEST_FILES)
    assert time.perf_counter() - start < 5.0
