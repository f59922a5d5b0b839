"""The PromQL analysis handles every expression of the public rule corpus in ../shared/corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.promql import flow, parse, selectors
from generator.promql.labels import Flow

from .conftest import SHARED

CORPUS = SHARED / "corpus"


def _rule_files() -> list[Path]:
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the rule corpus is missing at {CORPUS}")
        pytest.skip(f"no rule corpus at {CORPUS}")
    files = []
    for path in sorted(CORPUS.rglob("*.y*ml")):
        doc = yaml.safe_load(path.read_text())
        if isinstance(doc, dict) and isinstance(doc.get("groups"), list) and "tests" not in doc:
            files.append(path)
    return files


def _exprs(path: Path) -> list[tuple[str, str]]:
    doc: Any = yaml.safe_load(path.read_text())
    out = []
    for group in doc["groups"]:
        for rule in group.get("rules", []):
            out.append((rule.get("alert") or rule.get("record"), str(rule["expr"])))
    return out


def test_every_corpus_expression_parses_and_flows() -> None:
    files = _rule_files()
    assert len(files) >= 15
    total = 0
    for path in files:
        for name, expr in _exprs(path):
            ast = parse(expr)
            assert isinstance(flow(ast), Flow), f"{path.name}: {name}"
            sels = selectors(ast)
            assert sels or "vector(" in expr or "time()" in expr, f"{path.name}: {name} reads no series"
            total += 1
    # 48 + 16 Thanos, 134 + 41 + 23 kube-prometheus, 72 awesome, 31 GOV.UK, Sloth's generated files.
    assert total > 400


@pytest.mark.parametrize(
    ("expr", "kept"),
    [
        (
            'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
            {"job"},
        ),
        ("histogram_quantile(0.99, sum by (le, instance) (rate(x_bucket[5m])))", {"instance"}),
        ('absent(up{job="api", env=~"p.*"})', {"job"}),
        ("sum without (instance) (up)", None),
        ('up == 0 or absent(up{job="a"})', {"job"}),
        # A pod without "-" does not match, so label_replace leaves it without `service`.
        ('label_replace(sum by (pod) (x), "service", "$1", "pod", "(.*)-.*")', {"pod"}),
        ('label_replace(sum by (pod) (x), "service", "$1", "pod", "(.*)")', {"pod", "service"}),
        ("sum by (a, b) (x) / on (a) group_left sum by (a) (y)", {"a", "b"}),
        ("sum by (a, b) (x) / on (a) sum by (a) (y)", {"a"}),
        ("count(up)", set()),
        ("vector(1)", set()),
    ],
)
def test_labels_kept(expr: str, kept: set[str] | None) -> None:
    result = flow(parse(expr))
    if kept is None:
        assert result.open and "instance" in result.names
    else:
        assert result.resolve(frozenset()) == kept
