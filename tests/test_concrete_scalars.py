"""The example evaluator reads scalar arithmetic and time() as scalars, as Prometheus does."""

from __future__ import annotations

import pytest

from generator.promql import parse
from generator.promql.concrete import evaluate

SERIES = [{"__name__": "bytes:rate1d", "job": "cdn"}, {"__name__": "last_ok", "cronjob": "load"}]


@pytest.mark.parametrize(
    ("expr", "labels"),
    [
        ("bytes:rate1d > 7.5 * (10 ^ 12)", [{"job": "cdn"}]),
        ("(10 ^ 12) < bytes:rate1d", [{"job": "cdn"}]),
        ("time() - last_ok > 180000", [{"cronjob": "load"}]),
        ("-(2) < bytes:rate1d", [{"job": "cdn"}]),
        ("2 + 1", []),
        ('absent(up{job="x"} == 1)', [{}]),
        ('absent(up{job="x"})', [{"job": "x"}]),
    ],
)
def test_scalar_sides_keep_the_vector_labels(expr: str, labels: list[dict[str, str]]) -> None:
    assert evaluate(parse(expr), SERIES) == labels
