"""alertgen's expansion of annotation templates matches Prometheus' Go functions."""

from __future__ import annotations

import pytest

from generator.gotemplate import (
    go_float,
    humanize,
    humanize_duration,
    humanize_percentage,
    humanize_timestamp,
    parse_template,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (1234, "1.234k"), (1_234_567, "1.235M"), (0.012, "12m"), (5, "5"), (float("nan"), "NaN")],
)
def test_humanize(value: float, expected: str) -> None:
    assert humanize(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0s"), (4.85, "4.85s"), (60, "1m 0s"), (7020, "1h 57m 0s"), (90061, "1d 1h 1m 1s"), (0.25, "250ms")],
)
def test_humanize_duration(value: float, expected: str) -> None:
    assert humanize_duration(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (180300, "1970-01-03 02:05:00 +0000 UTC"),  # GOV.UK's search-api test, which promtool passes
        (1.5, "1970-01-01 00:00:01.5 +0000 UTC"),
        (1700000000.123456, "2023-11-14 22:13:20.123 +0000 UTC"),  # Prometheus keeps milliseconds
        (-1.5, "1969-12-31 23:59:58.5 +0000 UTC"),
        (float("nan"), "NaN"),
    ],
)
def test_humanize_timestamp(value: float, expected: str) -> None:
    assert humanize_timestamp(value) == expected


def test_humanize_percentage_and_plain_values() -> None:
    assert humanize_percentage(0.12) == "12%"
    assert humanize_percentage(0.123456) == "12.35%"
    assert [go_float(v) for v in (0.12, 100000.0, 1e21, 1e-05, 3.0, -2.5)] == [
        "0.12",
        "100000",
        "1e+21",
        "1e-05",
        "3",
        "-2.5",
    ]


def test_expand_uses_query_labels_and_value() -> None:
    tmpl = parse_template(
        "{{ $labels.job | toUpper }} at {{$value|humanizePercentage}} ({{ $labels.missing }})"
    )
    assert tmpl.uses_value and tmpl.labels == {"job", "missing"}
    assert tmpl.expand({"job": "api"}, 0.5) == "API at 50% ()"


@pytest.mark.parametrize(
    "text",
    ["{{ $value", "a {{ b }}", "{{ if $value }}x", "{{ end }}", '{{ printf "%.2f $value }}', "{{ $value-}}"],
)
def test_what_prometheus_refuses_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_template(text)


@pytest.mark.parametrize(
    ("text", "labels", "uses_value"),
    [
        ('{{ printf "%.2f" $value }}', set(), True),
        ("{{ $value | js }}", set(), True),
        ("{{ with $labels.pod }}pod {{ . }}{{ end }}", {"pod"}, False),
        ("VALUE = {{ $value }} LABELS = {{ $labels }}", set(), True),
        ("{{ .Value | humanize }}", set(), True),
    ],
)
def test_beyond_the_subset_is_kept_but_not_expanded(text: str, labels: set[str], uses_value: bool) -> None:
    tmpl = parse_template(text)
    assert not tmpl.expandable and tmpl.labels == labels and tmpl.uses_value is uses_value
