"""rule/*, test/*, label/* and tier/* checks: good and bad hand edits of the shop's rules and tests."""

from __future__ import annotations

import pytest

from tests.checks.helpers import DASHBOARD, RULES, TESTS, Edits, line, report

ERRORS = "job_namespace:shop_requests_errors:ratio_rate5m"
QUEUE = "job_namespace_queue:shop_queue_depth:max"
QUEUE_EXPR = 'max by (job, namespace, queue) (shop_queue_depth{job="shop"})'
UNUSED = {
    RULES: [
        (
            "  rules:\n",
            "  rules:\n  - record: job:shop_requests:rate5m\n    expr: sum by (job) (rate(shop_requests_total[5m]))\n",
        )
    ]
}
MERGED = {
    RULES: [
        ("alert: ShopErrors\n", "alert: ShopErrorsCritical\n"),
        ("severity: warning\n", "severity: critical\n"),
    ]
}
DUPLICATE = {RULES: [*MERGED[RULES], ("> 0.05", "> 0.1")]}
DISTINCT = {RULES: [("alert: ShopErrors\n", "alert: ShopErrorsCritical\n")]}
UNDEFINED = {RULES: [(f"expr: {QUEUE} > 100", f"expr: {QUEUE}5m > 100")]}
NO_SILENT = {
    TESTS: [("alertname: ShopQueueLong\n    exp_alerts: []", "alertname: ShopQueueGone\n    exp_alerts: []")]
}
NO_TESTS = {
    TESTS: [
        ("alertname: ShopQueueLong\n    exp_alerts: []", "alertname: ShopQueueGone\n    exp_alerts: []"),
        ("alertname: ShopQueueLong\n", "alertname: ShopQueueGone\n"),
    ]
}
DROPS_QUEUE = {RULES: [(QUEUE_EXPR, 'max by (job, namespace) (shop_queue_depth{job="shop"})')]}
STATIC_IN_TEMPLATE = {
    RULES: [("Errors above 5% in {{ $labels.namespace }}", "Errors above 5% for team {{ $labels.team }}")]
}
UNKNOWN_IN_TEMPLATE = {
    RULES: [("Queue {{ $labels.queue }} is long", "Queue {{ $labels.queue }} on {{ $labels.pod }} is long")]
}
WARNING_ABOVE = {RULES: [(f"{ERRORS} > 0.05", f"{ERRORS} > 0.2")]}
WARNING_EQUAL = {RULES: [(f"{ERRORS} > 0.05", f"{ERRORS} > 0.1")]}
SMOOTHED = {RULES: [(f"expr: {ERRORS} > 0.05", f"expr: avg_over_time({ERRORS}[1h]) > 0.05")]}
OTHER_OP = {RULES: [(f"{ERRORS} > 0.05", f"{ERRORS} >= 0.05")]}

GOOD: list[tuple[str, str, Edits]] = [
    ("rule/duplicate", "distinct names", {}),
    ("rule/duplicate", "same name, other labels", DISTINCT),
    ("rule/recording-undefined", "every recorded series defined", {}),
    ("rule/recording-unused", "records read by alerts and panels", {}),
    (
        "rule/recording-unused",
        "a record only a dashboard reads",
        {**UNUSED, DASHBOARD: [(f'"expr": "{QUEUE}', f'"expr": "job:shop_requests:rate5m + {QUEUE}')]},
    ),
    ("test/missing-examples", "firing and silent cases", {}),
    ("label/dropped-by-aggregation", "templates read kept labels", {}),
    (
        "label/dropped-by-aggregation",
        "without() keeps queue",
        {RULES: [(QUEUE_EXPR, 'max without (instance) (shop_queue_depth{job="shop"})')]},
    ),
    ("tier/order", "warning below critical", {}),
    ("tier/mismatch", "same expression", {}),
]


@pytest.mark.parametrize(("check_id", "case", "edits"), GOOD, ids=[f"{c}: {n}" for c, n, _ in GOOD])
def test_good(check_id: str, case: str, edits: Edits) -> None:
    assert report(edits, check_id) == []


def _at(edits: Edits, needle: str, path: str = RULES) -> str:
    return f"output/{path}:{line(edits, path, needle)}"


BAD: list[tuple[str, Edits, list[str]]] = [
    (
        "rule/duplicate",
        DUPLICATE,
        [
            f"output/{RULES}:{line(MERGED, RULES, '> 0.05') - 1}: error rule/duplicate: alert 'ShopErrorsCritical': "
            "alert 'ShopErrorsCritical' with the same labels and expression is already defined at "
            f"prometheus/rules/shop.rules.yml:{line(DUPLICATE, RULES, 'alert: ShopErrorsCritical')}; "
            "Prometheus evaluates both into the same series: remove one"
        ],
    ),
    (
        "rule/alerts-merge",
        MERGED,
        [
            f"output/{RULES}:{line(MERGED, RULES, '> 0.05') - 1}: warning rule/alerts-merge: alert 'ShopErrorsCritical': "
            f"shares its name and labels with the alert at prometheus/rules/shop.rules.yml:"
            f"{line(MERGED, RULES, 'alert: ShopErrorsCritical')}; when both fire for one series Alertmanager "
            "merges them into one notification (and promtool's lint refuses the file): give them distinct "
            "labels, e.g. their severities"
        ],
    ),
    (
        "rule/recording-undefined",
        UNDEFINED,
        [
            f"{_at(UNDEFINED, f'{QUEUE}5m')}: error rule/recording-undefined: alert 'ShopQueueLong': reads "
            f"recorded series '{QUEUE}5m', but no rule file records it, so the query returns nothing; fix "
            "the name, add the signal that records it, or declare it in metrics= when other rules record it"
        ],
    ),
    (
        "rule/recording-unused",
        UNUSED,
        [
            f"{_at(UNUSED, 'record: job:shop_requests:rate5m')}: warning rule/recording-unused: rule "
            "'job:shop_requests:rate5m': recording rule 'job:shop_requests:rate5m' is read by no alert, "
            "rule or dashboard panel, yet Prometheus evaluates it every interval; remove its signal or "
            "alert on it"
        ],
    ),
    (
        "test/missing-examples",
        NO_SILENT,
        [
            f"{_at(NO_SILENT, 'alert: ShopQueueLong')}: warning test/missing-examples: alert 'ShopQueueLong': "
            "prometheus/tests/shop.test.yml has no silent case for this alert; add Example(fires=False, ...) "
            "to its spec so promtool proves when it fires"
        ],
    ),
    (
        "test/missing-examples",
        NO_TESTS,
        [
            f"{_at(NO_TESTS, 'alert: ShopQueueLong')}: warning test/missing-examples: alert 'ShopQueueLong': "
            "prometheus/tests/shop.test.yml has no firing and no silent case for this alert; add "
            "Example(fires=True, ...) and Example(fires=False, ...) to its spec so promtool proves when "
            "it fires"
        ],
    ),
    (
        "label/dropped-by-aggregation",
        DROPS_QUEUE,
        [
            f"{_at(DROPS_QUEUE, 'summary: Queue')}: error label/dropped-by-aggregation: alert 'ShopQueueLong': "
            "annotation 'summary' shows {{ $labels.queue }}, which expands to nothing: recording rule "
            f"'{QUEUE}' (prometheus/rules/shop.rules.yml:{line(DROPS_QUEUE, RULES, 'expr: max by')}) drops "
            "'queue' in its aggregation (it keeps job, namespace); add queue to the by (...) of that "
            "aggregation in the signal's expr, or drop it from the template"
        ],
    ),
    (
        "label/dropped-by-aggregation",
        STATIC_IN_TEMPLATE,
        [
            f"{_at(STATIC_IN_TEMPLATE, 'for team')}: error label/dropped-by-aggregation: alert 'ShopErrors': "
            "annotation 'summary' shows {{ $labels.team }}, which expands to nothing: 'team' is a static "
            "label of the rule, and Prometheus expands annotation templates with the query's labels only; "
            "write its value literally, or keep the label in the query"
        ],
    ),
    (
        "label/dropped-by-aggregation",
        UNKNOWN_IN_TEMPLATE,
        [
            f"{_at(UNKNOWN_IN_TEMPLATE, 'summary: Queue')}: error label/dropped-by-aggregation: alert "
            "'ShopQueueLong': annotation 'summary' shows {{ $labels.pod }}, which expands to nothing: no "
            "series the query reads carries 'pod'; drop it from the template"
        ],
    ),
    (
        "tier/order",
        WARNING_ABOVE,
        [
            f"{_at(WARNING_ABOVE, '> 0.2')}: error tier/order: alert 'ShopErrors': the warning tier fires at "
            "> 0.2, the critical tier 'ShopErrorsCritical' at > 0.1: the warning must fire first, so its "
            "threshold must be below 0.1; fix the thresholds in the spec"
        ],
    ),
    (
        "tier/order",
        WARNING_EQUAL,
        [
            f"output/{RULES}:{line(WARNING_EQUAL, RULES, 'alert: ShopErrors' + chr(10)) + 1}: error tier/order: alert 'ShopErrors': the "
            "warning tier fires at > 0.1, the critical tier 'ShopErrorsCritical' at > 0.1: the warning must "
            "fire first, so its threshold must be below 0.1; fix the thresholds in the spec"
        ],
    ),
    (
        "tier/mismatch",
        SMOOTHED,
        [
            f"{_at(SMOOTHED, 'avg_over_time')}: error tier/mismatch: alert 'ShopErrors': compares "
            f"'avg_over_time({ERRORS}[1h])' but its critical tier 'ShopErrorsCritical' compares '{ERRORS}' "
            "(windows [1h], [5m] vs [5m]); tiers of one signal must read the same expression: regenerate "
            "from the spec's Tiers(...)"
        ],
    ),
    (
        "tier/mismatch",
        OTHER_OP,
        [
            f"{_at(OTHER_OP, '>= 0.05')}: error tier/mismatch: alert 'ShopErrors': compares with '>=' but its "
            "critical tier 'ShopErrorsCritical' with '>'; tiers of one signal share one comparison: "
            "regenerate from the spec's Tiers(...)"
        ],
    ),
]


@pytest.mark.parametrize(
    ("check_id", "edits", "expected"), BAD, ids=[f"{c}#{i}" for i, (c, _, _) in enumerate(BAD)]
)
def test_bad(check_id: str, edits: Edits, expected: list[str]) -> None:
    assert report(edits, check_id) == expected
