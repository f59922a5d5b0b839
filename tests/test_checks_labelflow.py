"""The label flow analysis behind label/dropped-by-aggregation: which labels a result keeps."""

from __future__ import annotations

import pytest

from generator.promql import flow, parse

CATALOG = {
    "req_total": frozenset({"job", "instance", "code"}),
    "lat_bucket": frozenset({"job", "instance", "le"}),
    "info": frozenset({"job", "instance", "version"}),
}

CASES = [
    ("sum by (job) (rate(req_total[5m]))", {"job"}),
    ("sum without (instance) (rate(req_total[5m]))", {"job", "code"}),
    ("sum(rate(req_total[5m]))", set()),
    ("sum by (job, pod) (req_total)", {"job"}),  # pod is on no input series
    (
        "rate(req_total[5m]) / on (job, instance) group_left (version) info",
        {"job", "instance", "code", "version"},
    ),
    ("sum by (job, code) (req_total) / on (job) sum by (job) (req_total)", {"job"}),
    ("sum by (job, code) (req_total) / ignoring (code) sum by (job) (req_total)", {"job"}),
    ('req_total > 1 or absent(req_total{job="a", code=~"5.."})', {"job"}),
    ("req_total and on (job) info", {"job", "instance", "code"}),
    ("histogram_quantile(0.9, sum by (job, le) (rate(lat_bucket[5m])))", {"job"}),
    ('count_values("value", req_total)', {"value"}),
    ("topk(3, req_total)", {"job", "instance", "code"}),
    ("vector(1)", set()),
    ("sum by (job) (req_total) > bool 3", {"job"}),
    ('label_replace(sum by (job) (req_total), "team", "payments", "", "")', {"job"}),
    ('label_replace(sum by (job) (req_total), "team", "payments", "job", ".*")', {"job", "team"}),
    ('label_replace(sum by (job) (req_total), "service", "$1", "job", "(.*)")', {"job", "service"}),
    ('label_replace(sum by (job) (req_total), "service", "$1", "pod", "(.*)")', {"job"}),
    ('label_replace(sum by (job) (req_total), "service", "$1", "job", "api-(.*)")', {"job"}),
    ('label_replace(sum by (job) (req_total), "job", "", "job", ".*")', set()),
    ('label_join(sum by (job) (req_total), "where", "/", "job")', {"job", "where"}),
    ('label_join(sum by (job) (req_total), "where", "", "pod")', {"job"}),
]


@pytest.mark.parametrize(("expr", "kept"), CASES, ids=[c[0] for c in CASES])
def test_guaranteed_labels(expr: str, kept: set[str]) -> None:
    assert flow(parse(expr), CATALOG.get).resolve(frozenset()) == frozenset(kept)
