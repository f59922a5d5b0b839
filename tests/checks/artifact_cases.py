"""Label and routing cases of tests/test_checks_artifacts.py: shop output edits and their report lines."""

from __future__ import annotations

from tests.checks.helpers import ALERTMANAGER, DASHBOARD, RULES, Edits

# Paths, records, routes and message parts the cases share.
A = ALERTMANAGER
QUEUE = "job_namespace_queue:shop_queue_depth:max"
ERRORS = "job_namespace:shop_requests_errors:ratio_rate5m"
PAGER_ROUTE = 'receiver: shop-pager\n      matchers:\n      - severity="critical"'
WARNING_ROUTE = 'receiver: shop-chat\n      matchers:\n      - severity="warning"'
KEEPS_NO_NAMESPACE = ("max by (job, namespace, queue)", "max by (job, queue)")
FIX = "regenerate the Alertmanager config from the spec, or change the team's routing there"
INHIBIT = 'inhibit rule 1 (source alertname="ShopErrorsCritical", service="shop")'
DROPS = (
    "drops 'namespace' in its aggregation (it keeps job); add namespace to the by (...) of that "
    "aggregation in the signal's expr"
)

# (check id, edits, [(path, needle whose line the finding points at, rest of the report line)])
Case = tuple[str, Edits, list[tuple[str, str, str]]]
# dashboard/filter-dropped, route/*, receiver/*, inhibit/*, label/*: where labels and alerts go.
LABEL_CASES: list[Case] = [
    (
        "dashboard/filter-dropped",
        {RULES: [KEEPS_NO_NAMESPACE]},
        [
            (
                DASHBOARD,
                '"id": 3',
                "error dashboard/filter-dropped: panel 'Queue depth' (id 3) matches "
                f"namespace=~\"$namespace\" on {QUEUE}, whose expression does not keep 'namespace', so the "
                "panel is empty once a value of namespace is chosen; remove the matcher from the query "
                "(generate adds one only where the record keeps the label) or keep namespace in the "
                "recording rule's aggregation",
            )
        ],
    ),
    (
        "route/unrouted",
        {A: [('- team="shop"', '- team="shops"')]},
        [
            (
                A,
                "route:",
                f"warning route/unrouted: alert '{name}', the root route (receiver 'default'): reaches only "
                f"the default receiver 'default': no route with a receiver of its own matches its labels alertname=\"{name}\", "
                f'category="service", service="shop", severity="{sev}", team="shop"; give its team a '
                f"Notify for severity '{sev}' (or a Route) in the spec",
            )
            for name, sev in (
                ("ShopErrors", "warning"),
                ("ShopErrorsCritical", "critical"),
                ("ShopQueueLong", "warning"),
            )
        ],
    ),
    (
        "route/unexpected",
        {A: [(PAGER_ROUTE, PAGER_ROUTE.replace("critical", "page"))]},
        [
            (
                A,
                '- receiver: shop-chat\n      matchers:\n      - severity="critical"',
                "error route/unexpected: alert 'ShopErrorsCritical', route team=\"shop\" > "
                "severity=\"critical\" (receiver 'shop-chat'): does not reach 'shop-pager', which the "
                f"spec intends (it reaches 'shop-chat'); {FIX}",
            )
        ],
    ),
    (
        "route/unexpected",
        {A: [(WARNING_ROUTE, WARNING_ROUTE.replace("shop-chat", "shop-pager"))]},
        [
            (
                A,
                '- receiver: shop-pager\n      matchers:\n      - severity="warning"',
                f'error route/unexpected: alert \'{name}\', route team="shop" > severity="warning" '
                "(receiver 'shop-pager'): does not reach 'shop-chat', which the spec intends, and "
                "reaches 'shop-pager', which the spec does not intend (it reaches 'shop-pager'); "
                f"{FIX}",
            )
            for name in ("ShopErrors", "ShopQueueLong")
        ],
    ),
    (
        "route/unreachable",
        {A: [(PAGER_ROUTE, PAGER_ROUTE.replace("critical", "page"))]},
        [
            (
                A,
                "- receiver: shop-pager",
                'warning route/unreachable: route team="shop" > severity="page" (receiver '
                "'shop-pager'): no alert of the output can reach this route: no alert's labels match "
                "its matchers, or an earlier route without `continue` takes them first; fix its "
                "matchers or remove it in the spec",
            )
        ],
    ),
    (
        "receiver/unused",
        {A: [("receivers:\n- name: default\n", "receivers:\n- name: default\n- name: spare\n")]},
        [
            (
                A,
                "- name: spare",
                "warning receiver/unused: receiver 'spare': receiver 'spare' is never notified: no route "
                "sends to it; remove it, or route a team's alerts to it in the spec",
            )
        ],
    ),
    (
        "receiver/unused",
        {A: [(PAGER_ROUTE, PAGER_ROUTE.replace("critical", "page"))]},
        [
            (
                A,
                "- name: shop-pager",
                "warning receiver/unused: receiver 'shop-pager': receiver 'shop-pager' is never "
                "notified: only routes no alert reaches send to it; remove it, or route a team's "
                "alerts to it in the spec",
            )
        ],
    ),
    (
        "inhibit/missing-equal",
        {A: [("  equal:\n", "  equal:\n  - pod\n")]},
        [
            (
                A,
                "- source_matchers:",
                f"error inhibit/missing-equal: alert 'ShopErrorsCritical', {INHIBIT}: equal label 'pod': "
                "no alert of either side carries it, so both read it as empty and it does not narrow "
                "the rule; drop it from equal, or keep the label in the queries",
            )
        ],
    ),
    (
        "inhibit/self",
        {A: [('- alertname="ShopErrors"', '- alertname=~"ShopErrors.*"')]},
        [
            (
                A,
                "- source_matchers:",
                f"error inhibit/self: alert 'ShopErrorsCritical', {INHIBIT}: 'ShopErrorsCritical' "
                "matches both the source and the target matchers, and Alertmanager never lets an "
                "alert matching both sides mute another one, so the rule does not act on it; exclude "
                'the source from the target (e.g. alertname!="ShopErrorsCritical") in the spec',
            )
        ],
    ),
    (
        "inhibit/too-broad",
        {
            A: [
                ('  target_matchers:\n  - service="shop"\n', "  target_matchers:\n"),
                ("  - namespace\n  - service\n  - team\n", "  - namespace\n  - team\n"),
            ]
        },
        [
            (
                A,
                "- source_matchers:",
                f"error inhibit/too-broad: {INHIBIT}: its target matchers select alerts of any service, "
                'not only the source\'s (shop) or those depending on it; add service="<name>" to target_matchers or service to '
                "equal",
            )
        ],
    ),
    (
        "inhibit/equal-conflict",
        {A: [("  equal:\n", "  equal:\n  - severity\n")]},
        [
            (
                A,
                "- source_matchers:",
                f"error inhibit/equal-conflict: alert 'ShopErrorsCritical', {INHIBIT}: equal label "
                "'severity' is 'critical' on every source and 'warning' on every target, so the two "
                "never agree and the inhibition never happens; drop it from equal",
            )
        ],
    ),
    (
        "label/dropped-by-aggregation",
        {
            RULES: [
                (
                    'sum by (job, namespace) (rate(shop_requests_total{job="shop",code',
                    'sum by (job) (rate(shop_requests_total{job="shop",code',
                ),
                (
                    'sum by (job, namespace) (rate(shop_requests_total{job="shop"}[5m]))',
                    'sum by (job) (rate(shop_requests_total{job="shop"}[5m]))',
                ),
            ]
        },
        [
            (
                RULES,
                f"expr: {ERRORS} > 0.1",
                "error label/dropped-by-aggregation: alert 'ShopErrorsCritical': label 'namespace' is "
                f"not on the alert, yet {INHIBIT} in alertmanager/alertmanager.yml needs it equal on "
                "source and target (this alert is a source), and an empty value never equals the other "
                f"side's, so the inhibition does not happen: recording rule '{ERRORS}' "
                f"(prometheus/rules/shop.rules.yml:7) {DROPS}, or stop relying on it",
            ),
            (
                RULES,
                "summary: Errors above 10%",
                "error label/dropped-by-aggregation: alert 'ShopErrorsCritical': annotation 'summary' "
                "shows {{ $labels.namespace }}, which expands to nothing: recording rule "
                f"'{ERRORS}' (prometheus/rules/shop.rules.yml:7) {DROPS}, or drop it from the template",
            ),
            (
                RULES,
                f"expr: {ERRORS} > 0.05",
                "error label/dropped-by-aggregation: alert 'ShopErrors': label 'namespace' is not on "
                f"the alert, yet {INHIBIT} in alertmanager/alertmanager.yml needs it equal on source and "
                "target (this alert is a target), and an empty value never equals the other side's, so "
                f"the inhibition does not happen: recording rule '{ERRORS}' "
                f"(prometheus/rules/shop.rules.yml:7) {DROPS}, or stop relying on it",
            ),
            (
                RULES,
                "summary: Errors above 5%",
                "error label/dropped-by-aggregation: alert 'ShopErrors': annotation 'summary' shows "
                "{{ $labels.namespace }}, which expands to nothing: recording rule "
                f"'{ERRORS}' (prometheus/rules/shop.rules.yml:7) {DROPS}, or drop it from the template",
            ),
        ],
    ),
    (
        "label/dropped-by-aggregation",
        {
            A: [("  - alertname\n  - service\n", "  - alertname\n  - namespace\n")],
            RULES: [KEEPS_NO_NAMESPACE],
        },
        [
            (
                RULES,
                f"expr: {QUEUE} > 100",
                "error label/dropped-by-aggregation: alert 'ShopQueueLong': label 'namespace' is not "
                'on the alert, yet route team="shop" > severity="warning" (receiver \'shop-chat\') in '
                "alertmanager/alertmanager.yml groups by it, so alerts that differ only in it share one "
                f"notification: recording rule '{QUEUE}' (prometheus/rules/shop.rules.yml:12) drops "
                "'namespace' in its aggregation (it keeps job, queue); add namespace to the by (...) of "
                "that aggregation in the signal's expr, or stop relying on it",
            )
        ],
    ),
    (
        "label/dropped-by-aggregation",
        {
            A: [('      - severity="warning"\n', '      - severity="warning"\n      - namespace="shop"\n')],
            RULES: [KEEPS_NO_NAMESPACE],
        },
        [
            (
                RULES,
                f"expr: {QUEUE} > 100",
                "error label/dropped-by-aggregation: alert 'ShopQueueLong': label 'namespace' is not "
                'on the alert, yet route team="shop" > severity="warning", namespace="shop" '
                "(receiver 'shop-chat') in alertmanager/alertmanager.yml matches on it: recording rule "
                f"'{QUEUE}' (prometheus/rules/shop.rules.yml:12) drops 'namespace' in its aggregation "
                "(it keeps job, queue); add namespace to the by (...) of that aggregation in the "
                "signal's expr, or stop relying on it",
            )
        ],
    ),
]
