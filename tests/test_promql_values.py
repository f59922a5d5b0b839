"""The value evaluator (generator/promql/values.py) against real promtool 2.42.

Each case's values, as the evaluator computes them, become one promql_expr_test; promtool runs
the whole table once and must agree on every one (it compares floats exactly). Constructs
outside the subset must give None, never a guess.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from generator.promql import parse
from generator.promql.values import evaluate_at, expand
from tests.conftest import require_tool


@dataclass(frozen=True)
class Case:
    expr: str
    series: dict[str, str]
    at: float  # seconds
    interval: float = 60.0
    # (record name, expression, static labels); promtool evaluates them every minute.
    records: tuple[tuple[str, str, dict[str, str]], ...] = field(default=())


C = 'http_requests_total{job="api",code="500"}'
OK = 'http_requests_total{job="api",code="200"}'
WEB = 'http_requests_total{job="web",code="500"}'
TRAFFIC = {C: "0+10x30", OK: "0+100x30", WEB: "0+4x30"}
H = {f'lat_bucket{{le="{le}"}}': f"0+{n}x20" for le, n in [("0.1", 2), ("0.5", 7), ("1", 9), ("+Inf", 10)]}
GAUGE = {'temp{room="a"}': "20 21.5 19 23 22.25 18 25", 'temp{room="b"}': "3 1 4 1 5 9 2"}
PAIR = {'used{host="h1",disk="d"}': "30", 'size{host="h1",disk="d"}': "120", 'size{host="h2",disk="d"}': "50"}

CASES: list[Case] = [
    # Selectors, lookback and the expanding notation.
    Case(C, TRAFFIC, 600),
    Case('http_requests_total{code!="200",job=~"a.*|web"}', TRAFFIC, 120),
    Case('http_requests_total{job!~"api"}', TRAFFIC, 60),
    Case('{__name__=~"http_.*",code="200"}', TRAFFIC, 60),
    Case("up", {"up": "1 0"}, 360),  # the last sample exactly 5m old still counts
    Case("up", {"up": "1 0"}, 361),  # one second later it is gone
    Case("up", {"up": "1 1 stale"}, 150),  # a staleness marker ends the series
    Case("up", {"up": "1 _x3 4"}, 200),  # `_x3` is three gaps
    Case("x", {"x": "10-2.5x4 7"}, 240),
    Case("x", {"x": "0x3"}, 240),  # zero, repeated: not a hex number
    Case("x", {"x": "0+0.1x10"}, 600),  # 0.1 added ten times, rounding and all
    # The file's evaluation_interval is 1m and promtool loads samples only up to the last
    # evaluation step: cases with other intervals are evaluated on that minute grid.
    Case("x", {"x": "1 2 3 4 5 6"}, 120, interval=30),
    # Range functions.
    Case("rate(http_requests_total[5m])", TRAFFIC, 600),
    Case("rate(x[5m])", {"x": "0 5 12 3 9 15 20"}, 360),  # a counter reset
    Case("increase(x[10m])", {"x": "_x3 45+60x7"}, 600),  # zero clamp before the threshold (2.42)
    Case("increase(x[5m])", {"x": "_x5 100+50x10"}, 420),  # series starts inside the range
    Case("increase(x[50s])", {"x": "0+3x40"}, 540, interval=15),
    Case("delta(temp[5m])", GAUGE, 360),
    Case("irate(x[5m])", {"x": "0 7 19 31 8"}, 240),  # a reset on the last step
    Case("irate(http_requests_total[2m])", TRAFFIC, 300),
    Case("avg_over_time(temp[5m])", GAUGE, 360),
    Case("avg_over_time(y[10m])", {"y": "0.1 0.7 0.3 0.2 0.9"}, 600),
    Case("min_over_time(temp[3m]) + max_over_time(temp[3m])", GAUGE, 360),
    Case("sum_over_time(y[10m])", {"y": "1e16 1 1 -1e16"}, 180),  # Kahan-compensated
    Case("count_over_time(x[2m])", {"x": "1 2 3 4 5 6"}, 240),  # [t-2m, t]: three samples
    Case("count_over_time(x[10m])", {"x": "1 2 stale 4 _ 6"}, 600),
    # Instant functions.
    Case("abs(x - 10)", {'x{i="1"}': "4", 'x{i="2"}': "13"}, 0),
    Case("clamp_min(temp, 19.5) - clamp_max(temp, 4)", GAUGE, 120),
    Case("histogram_quantile(0.9, rate(lat_bucket[5m]))", H, 600),
    Case("histogram_quantile(0.5, sum by (le) (rate(lat_bucket[5m])))", H, 600),
    Case(
        "histogram_quantile(0.5, h)",
        {'h{le="1"}': "2", 'h{le="2"}': "1", 'h{le="4"}': "6", 'h{le="+Inf"}': "10"},
        0,
    ),
    Case("histogram_quantile(0.3, h)", {'h{le="-1"}': "2", 'h{le="0"}': "4", 'h{le="+Inf"}': "10"}, 0),
    Case("histogram_quantile(0.99, h)", {'h{le="1"}': "2", 'h{le="+Inf"}': "10"}, 0),
    Case("time() * 2 + 1", {}, 90),
    Case("vector(time() / 60) - 1", {}, 300),
    Case("2 ^ 10 - 3 % 2 / 4", {}, 0),
    # Go's Pow squares repeatedly; Mod keeps the dividend's sign.
    Case("x ^ 7 + x ^ -3 + (-x) ^ 5", {'x{i="1"}': "1.1", 'x{i="2"}': "0.3", 'x{i="3"}': "-2.7"}, 0),
    Case("x % 3 + x % -0.7", {'x{i="1"}': "5.5", 'x{i="2"}': "-7.25"}, 0),
    # Aggregations.
    Case("sum by (job) (rate(http_requests_total[5m]))", TRAFFIC, 600),
    Case("sum without (code) (http_requests_total)", TRAFFIC, 300),
    Case("avg(temp)", GAUGE, 240),
    Case("max(temp) - min by (room) (temp)", GAUGE, 180),  # no labels in common: empty
    Case("max(temp) - min(temp)", GAUGE, 180),
    Case("sum(x)", {'x{a="1"}': "0.5", 'x{a="2"}': "0.25", 'x{a="3"}': "1.125"}, 0),  # every order agrees
    Case("avg(x)", {'x{a="1"}': "3", 'x{a="2"}': "6", 'x{a="3"}': "9.5"}, 0),
    Case("count(http_requests_total > 100)", TRAFFIC, 600),
    Case("sum(x)", {'x{a="1"}': "0.1", 'x{a="2"}': "0.2"}, 0),  # two series: any order agrees
    # Binary operators.
    Case(
        'sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        TRAFFIC,
        600,
    ),
    Case("used / on(host, disk) size * 100", PAIR, 0),
    Case("size - ignoring(disk) size", PAIR, 0),
    Case("size > 60", PAIR, 0),  # a filter keeps the metric name
    Case("60 < size", PAIR, 0),  # and the vector's value, scalar on the left
    Case("size > bool 60", PAIR, 0),
    Case("size >= on(host) used", PAIR, 0),
    Case("size % 7 + size ^ 2 - 1 / (size - 50)", PAIR, 0),  # x/0 is +Inf
    Case("-size", PAIR, 0),
    Case("size ^ 0.5", PAIR, 0),
    Case("size and on(host) used", PAIR, 0),
    Case("size unless on(host) used", PAIR, 0),
    Case("used or size", PAIR, 0),
    Case("temp == bool 1", GAUGE, 180),
    # Recording rules, evaluated every minute before the expression.
    Case(
        "job:err:ratio > 0.01",
        TRAFFIC,
        600,
        records=(
            ("job:err:rate5m", 'sum by (job) (rate(http_requests_total{code="500"}[5m]))', {}),
            ("job:all:rate5m", "sum by (job) (rate(http_requests_total[5m]))", {}),
            ("job:err:ratio", "job:err:rate5m / job:all:rate5m", {"team": "sre"}),
        ),
    ),
    Case("stale:r", {"x": "1 2 3 stale 5"}, 210, records=(("stale:r", "x", {}),)),  # a gone record is stale
    Case("gap:r", {"x": "1 2 3 _ 5"}, 210, records=(("gap:r", "x * 2", {"k": "v"}),)),
    Case("rate(ctr:r[3m])", {"x": "0+5x20"}, 450, records=(("ctr:r", "x + time()", {}),)),
]

UNSUPPORTED = [
    ("topk(1, x)", {"x": "1"}),
    ('label_replace(x, "a", "b", "c", "d")', {"x": "1"}),
    ("x offset 1m", {"x": "1 2"}),
    ("x @ 60", {"x": "1 2"}),
    ("max_over_time(x[5m:1m])", {"x": "1 2"}),
    ("x * on() group_left y", {'x{a="1"}': "1", "y": "2"}),
    ("x atan2 y", {"x": "1", "y": "2"}),
    ("quantile(0.5, x)", {"x": "1"}),
    ("deriv(x[5m])", {"x": "1 2"}),
    ("absent(x)", {"y": "1"}),
    ("x ^ 1.5", {"x": "4"}),
    ('x{a=~"(?i)A"}', {'x{a="a"}': "1"}),
    ('x{a="b" or a="c"}', {'x{a="b"}': "1"}),
    # promtool reads series in a random order: sums whose rounding depends on it have no answer.
    ("sum(x)", {'x{a="1"}': "0.1", 'x{a="2"}': "0.7", 'x{a="3"}': "0.3", 'x{a="4"}': "0.2"}),
    ("avg(x)", {'x{a="1"}': "1.1", 'x{a="2"}': "0.4", 'x{a="3"}': "1.2"}),
    # Queries promtool refuses.
    ('abs({__name__=~"x|y"})', {'x{a="1"}': "1", 'y{a="1"}': "2"}),
    ("x + on(a) y", {'x{a="1"}': "1", 'y{a="1",b="1"}': "2", 'y{a="1",b="2"}': "3"}),
    ("x", {"x": "1 two 3"}),
]


def _evaluate(case: Case) -> list[tuple[dict[str, str], float]] | None:
    records = [(name, parse(expr), labels) for name, expr, labels in case.records]
    return evaluate_at(parse(case.expr), case.series, case.interval, case.at, records)


def _labels_text(labels: dict[str, str]) -> str:
    body = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return "{" + body + "}"


def test_expand_matches_promtool_notation() -> None:
    assert expand("1+2x2 _ _x2 stale -1 4x1", 1000) == [
        (0, 1.0),
        (1000, 3.0),
        (2000, 5.0),
        (6000, None),
        (7000, -1.0),
        (8000, 4.0),
        (9000, 4.0),
    ]


def test_known_values() -> None:
    # Worked by hand from Prometheus 2.42's extrapolatedRate (and confirmed by promtool).
    assert _evaluate(Case("increase(x[10m])", {"x": "_x3 45+60x7"}, 600)) == [({}, 465.0)]
    assert _evaluate(Case("rate(x[5m])", {"x": "0+60x10"}, 600)) == [({}, 1.0)]
    assert _evaluate(Case("x > 5", {"x": "1"}, 0)) == []


def test_every_case_is_in_the_subset() -> None:
    for case in CASES:
        result = _evaluate(case)
        assert result is not None, case.expr
        assert not any(math.isnan(v) for _, v in result), case.expr  # NaN cannot be compared


@pytest.mark.parametrize(("expr", "series"), UNSUPPORTED, ids=[e for e, _ in UNSUPPORTED])
def test_outside_the_subset_gives_none(expr: str, series: dict[str, str]) -> None:
    assert evaluate_at(parse(expr), series, 60, 60) is None


@pytest.mark.promtool
def test_values_agree_with_promtool(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    rules = [
        {"record": n, "expr": e, **({"labels": lb} if lb else {})} for c in CASES for n, e, lb in c.records
    ]
    (tmp_path / "rules.yml").write_text(yaml.safe_dump({"groups": [{"name": "values", "rules": rules}]}))
    tests = []
    for case in CASES:
        result = _evaluate(case)
        assert result is not None, case.expr
        tests.append(
            {
                "interval": f"{round(case.interval * 1000)}ms",
                "input_series": [{"series": s, "values": v} for s, v in case.series.items()],
                "promql_expr_test": [
                    {
                        "expr": case.expr,
                        "eval_time": f"{round(case.at * 1000)}ms",
                        "exp_samples": [{"labels": _labels_text(lb), "value": v} for lb, v in result],
                    }
                ],
            }
        )
    # PyYAML writes floats with repr's digits (and .inf): promtool compares them exactly.
    suite = {"rule_files": ["rules.yml"], "evaluation_interval": "1m", "tests": tests}
    (tmp_path / "values_test.yml").write_text(yaml.safe_dump(suite, sort_keys=False))
    run = subprocess.run(
        [promtool, "test", "rules", "values_test.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0 and "SUCCESS" in run.stdout, run.stdout + run.stderr
