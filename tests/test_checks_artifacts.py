"""route/*, receiver/*, inhibit/*, label/* (Alertmanager), dashboard/* and runbook/* checks.

Each case edits the rendered shop output by hand, as a renderer bug or a manual change would,
and asserts the exact report lines of one check; the unedited output has none.
"""

from __future__ import annotations

import pytest

from generator.checks.registry import CHECKS
from tests.checks.artifact_cases import ERRORS, LABEL_CASES, QUEUE, Case
from tests.checks.helpers import DASHBOARD, RULES, RUNBOOK, Edits, line, report


def test_the_rendered_shop_has_no_findings() -> None:
    assert report({}) == []


@pytest.mark.parametrize("check_id", [c.id for c in CHECKS if c.id != "promql/series-missing"])
def test_every_check_passes_the_shop(check_id: str) -> None:
    assert report({}, check_id) == []


# dashboard/missing-panel, threshold-mismatch, url-broken and runbook/*: panels, thresholds, links.
LINK_CASES: list[Case] = [
    (
        "dashboard/missing-panel",
        {DASHBOARD: [(f'"expr": "{QUEUE}', f'"expr": "{ERRORS}')]},
        [
            (
                RULES,
                "alert: ShopQueueLong",
                "error dashboard/missing-panel: alert 'ShopQueueLong': no panel of "
                f"grafana/dashboards/shop.json queries {QUEUE}, which this alert compares; add the "
                "alert's signal to a row of the service's dashboard (Dashboard(rows=...)) and regenerate",
            )
        ],
    ),
    (
        "dashboard/threshold-mismatch",
        {DASHBOARD: [('"value": 0.1\n', '"value": 0.2\n')]},
        [
            (
                DASHBOARD,
                '"id": 2',
                "error dashboard/threshold-mismatch: panel 'Error ratio' (id 2) draws a threshold "
                "at 0.2 where none of its alerts (ShopErrors, ShopErrorsCritical) fires; regenerate the "
                "dashboard from the spec",
            ),
            (
                DASHBOARD,
                '"id": 2',
                "error dashboard/threshold-mismatch: alert 'ShopErrorsCritical': panel 'Error ratio' (id "
                "2) draws thresholds 0.05, 0.2, but the alert fires at 0.1; regenerate the "
                "dashboard from the spec so the line shows where the alert fires",
            ),
        ],
    ),
    (
        "dashboard/url-broken",
        {RULES: [("viewPanel=3", "viewPanel=99")]},
        [
            (
                RULES,
                "viewPanel=99",
                "error dashboard/url-broken: alert 'ShopQueueLong': dashboard_url opens panel 99, but "
                "grafana/dashboards/shop.json has no panel with that id; regenerate the output so the "
                "panel ids and the link agree",
            )
        ],
    ),
    (
        "dashboard/url-broken",
        {RULES: [("/d/shop/shop?viewPanel=3", "/d/shoppe/shop?viewPanel=3")]},
        [
            (
                RULES,
                "/d/shoppe/",
                "error dashboard/url-broken: alert 'ShopQueueLong': dashboard_url opens dashboard uid "
                "'shoppe', but no dashboard in the output has that uid; regenerate the output so the "
                "uid and the link agree",
            )
        ],
    ),
    (
        "runbook/missing",
        {
            RULES: [
                (
                    "runbook_url: https://example.com/runbooks/shop.md#shop-queue-long",
                    "runbook_url: https://wiki.example.com/shop#queue",
                )
            ]
        },
        [
            (
                RULES,
                "runbook_url: https://wiki",
                "error runbook/missing: alert 'ShopQueueLong': runbook_url "
                "'https://wiki.example.com/shop#queue' is not under the service's runbook_base_url "
                "'https://example.com/runbooks/', so no generated runbook backs it; regenerate the rules",
            )
        ],
    ),
    (
        "runbook/anchor-broken",
        {RUNBOOK: [("### Shop Queue Long\n", "### Shop queue is long\n")]},
        [
            (
                DASHBOARD,
                '"id": 3',
                "error runbook/anchor-broken: alert 'ShopQueueLong': panel 'Queue depth' (id 3) links to "
                "'https://example.com/runbooks/shop.md#shop-queue-long', whose anchor #shop-queue-long "
                "matches no heading of runbooks/shop.md (closest: #shop-queue-is-long); regenerate the "
                "output",
            ),
            (
                RULES,
                "runbook_url: https://example.com/runbooks/shop.md#shop-queue-long",
                "error runbook/anchor-broken: alert 'ShopQueueLong': runbook_url anchor #shop-queue-long "
                "matches no heading of runbooks/shop.md (closest: #shop-queue-is-long); regenerate the "
                "output so the heading and the link agree",
            ),
        ],
    ),
    (
        "runbook/link-broken",
        {
            RUNBOOK: [
                ("[Runbook index](README.md)", "[Runbook index](INDEX.md)"),
                ("viewPanel=3)", "viewPanel=99)"),
            ]
        },
        [
            (
                RUNBOOK,
                "viewPanel=99)",
                "error runbook/link-broken: link [Queue depth panel](http://localhost:3000/d/shop/shop?"
                "viewPanel=99) opens panel 99, which grafana/dashboards/shop.json does not have; "
                "regenerate the output, or fix the spec text that holds the link",
            ),
            (
                RUNBOOK,
                "(INDEX.md)",
                "error runbook/link-broken: link [Runbook index](INDEX.md) leads to runbooks/INDEX.md, "
                "which is not in the output; regenerate the output, or fix the spec text that holds "
                "the link",
            ),
        ],
    ),
]
CASES = [*LABEL_CASES, *LINK_CASES]


@pytest.mark.parametrize(
    ("check_id", "edits", "expected"), CASES, ids=[f"{c}#{i}" for i, (c, _, _) in enumerate(CASES)]
)
def test_bad(check_id: str, edits: Edits, expected: list[tuple[str, str, str]]) -> None:
    want = [f"output/{path}:{line(edits, path, needle)}: {rest}" for path, needle, rest in expected]
    assert report(edits, check_id) == want
