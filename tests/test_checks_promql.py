"""promql/* checks: a table of hand edits to the shop's rules, each with the exact report line."""

from __future__ import annotations

import pytest

from tests.checks.helpers import RULES, Edits, line, report

ERRORS_RECORD = "job_namespace:shop_requests_errors:ratio_rate5m"
QUEUE_RECORD = "job_namespace_queue:shop_queue_depth:max"
QUEUE_EXPR = 'max by (job, namespace, queue) (shop_queue_depth{job="shop"})'
TOTAL = 'rate(shop_requests_total{job="shop"}[5m])'


def _queue(expr: str) -> Edits:
    return {RULES: [(QUEUE_EXPR, expr)]}


GOOD: list[tuple[str, str, Edits]] = [
    ("promql/metric-unknown", "catalog metrics only", {}),
    ("promql/metric-unknown", "recorded series are not catalog metrics", _queue(f"max({ERRORS_RECORD})")),
    ("promql/counter-without-rate", "counter inside rate()", {}),
    (
        "promql/counter-without-rate",
        "absent() of a counter",
        _queue('absent(shop_requests_total{job="shop"})'),
    ),
    (
        "promql/counter-without-rate",
        "increase()",
        _queue('sum(increase(shop_requests_total{job="shop"}[1h]))'),
    ),
    ("promql/rate-on-gauge", "gauge read directly", {}),
    ("promql/rate-on-gauge", "deriv() of a gauge", _queue('deriv(shop_queue_depth{job="shop"}[10m])')),
    (
        "promql/histogram-quantile-without-le",
        "le kept",
        _queue("histogram_quantile(0.9, sum by (job, le) (rate(shop_request_duration_seconds_bucket[5m])))"),
    ),
    (
        "promql/histogram-quantile-without-le",
        "without() keeps le",
        _queue(
            "histogram_quantile(0.9, sum without (instance) (rate(shop_request_duration_seconds_bucket[5m])))"
        ),
    ),
    (
        "promql/range-too-short",
        "exactly 4x the scrape interval",
        {RULES: [(TOTAL, TOTAL.replace("5m", "4m"))]},
    ),
    (
        "promql/range-too-short",
        "max_over_time needs no two samples",
        _queue('max_over_time(shop_queue_depth{job="shop"}[1m])'),
    ),
    ("promql/syntax", "valid PromQL", {}),
]


@pytest.mark.parametrize(("check_id", "case", "edits"), GOOD, ids=[f"{c}: {n}" for c, n, _ in GOOD])
def test_good(check_id: str, case: str, edits: Edits) -> None:
    assert report(edits, check_id) == []


def _bad() -> list[tuple[str, Edits, str]]:
    unknown = {RULES: [(TOTAL, TOTAL.replace("requests", "request"))]}
    raw_counter = {RULES: [(TOTAL, 'shop_requests_total{job="shop"}')]}
    rate_gauge = _queue('max by (job, namespace, queue) (rate(shop_queue_depth{job="shop"}[5m]))')
    rate_record = _queue(f"rate({ERRORS_RECORD}[5m])")
    no_le = _queue("histogram_quantile(0.9, sum by (job) (rate(shop_request_duration_seconds_bucket[5m])))")
    short = {RULES: [(TOTAL, TOTAL.replace("5m", "2m"))]}
    broken = {RULES: [("> 0.1", "> > 0.1")]}
    rec = f"rule '{ERRORS_RECORD}'"
    queue = f"rule '{QUEUE_RECORD}'"
    return [
        (
            "promql/metric-unknown",
            unknown,
            f"output/{RULES}:{line(unknown, RULES, 'expr: |-')}: error promql/metric-unknown: {rec}: "
            "metric 'shop_request_total' is not in the catalog of service 'shop' (did you mean "
            "'shop_requests_total'?); fix the name or add Metric(name='shop_request_total', ...) to "
            "metrics= in specs/shop.py",
        ),
        (
            "promql/counter-without-rate",
            raw_counter,
            f"output/{RULES}:{line(raw_counter, RULES, 'expr: |-')}: error promql/counter-without-rate: "
            f"{rec}: counter 'shop_requests_total' is read without rate(); a counter only grows and "
            "resets on restart, so read rate(shop_requests_total[5m]) or "
            "increase(shop_requests_total[1h]) instead",
        ),
        (
            "promql/rate-on-gauge",
            rate_gauge,
            f"output/{RULES}:{line(rate_gauge, RULES, 'rate(shop_queue_depth')}: error promql/rate-on-gauge: "
            f"{queue}: rate() on gauge 'shop_queue_depth' treats every drop as a counter reset; read the "
            "gauge directly, or use deriv(shop_queue_depth[...]) or delta(shop_queue_depth[...]) for its trend",
        ),
        (
            "promql/rate-on-gauge",
            rate_record,
            f"output/{RULES}:{line(rate_record, RULES, 'expr: rate(')}: error promql/rate-on-gauge: "
            f"{queue}: rate() on recorded series (a gauge) '{ERRORS_RECORD}' treats every drop as a "
            f"counter reset; read the gauge directly, or use deriv({ERRORS_RECORD}[...]) or "
            f"delta({ERRORS_RECORD}[...]) for its trend",
        ),
        (
            "promql/histogram-quantile-without-le",
            no_le,
            f"output/{RULES}:{line(no_le, RULES, 'histogram_quantile')}: error "
            f"promql/histogram-quantile-without-le: {queue}: histogram_quantile() reads an expression "
            "whose aggregation drops 'le', so it has no buckets to interpolate and returns nothing; keep "
            "le, e.g. sum by (job, le) (rate(<metric>_bucket[5m]))",
        ),
        (
            "promql/range-too-short",
            short,
            f"output/{RULES}:{line(short, RULES, 'expr: |-')}: warning promql/range-too-short: {rec}: "
            "rate(shop_requests_total[2m]) spans less than 4x the scrape interval (1m) of service 'shop', "
            "so one missed scrape leaves too few samples; use a range of at least [4m]",
        ),
        (
            "promql/syntax",
            broken,
            f"output/{RULES}:{line(broken, RULES, '> > 0.1')}: error promql/syntax: alert "
            "'ShopErrorsCritical': expr does not parse as PromQL (invalid promql query (likely two binary "
            "operators in a row)); fix the expression in the spec and regenerate",
        ),
    ]


BAD = _bad()


@pytest.mark.parametrize(
    ("check_id", "edits", "expected"), BAD, ids=[f"{c}#{i}" for i, (c, _, _) in enumerate(BAD)]
)
def test_bad(check_id: str, edits: Edits, expected: str) -> None:
    assert report(edits, check_id) == [expected]
