"""Thanos as a whole: is every component there? (thanos-io/thanos examples/alerts/alerts.yaml
group thanos-component-absent), as the Thanos team would write it in alertgen.

The mixin keeps the six `Thanos<Component>IsDown` alerts in one group of their own, across
components. A rule group belongs to one service's rule file, so this group is its own service,
`thanos`, rather than an alert in each component's spec.
"""

from _thanos import (
    RUNBOOK_BASE,
    TARGET_LABELS,
    TEAM,
    UP,
    conventions,  # noqa: F401 (the repository's conventions, picked up by alertgen)
    is_down,
)

from generator import Group, Service

service = Service(
    name="thanos",
    title="Thanos",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(UP,),
    groups=(
        Group(
            name="thanos-component-absent",
            rules=(
                is_down("Compact", "thanos-compact"),
                is_down("Query", "thanos-query"),
                is_down("Receive", "thanos-receive"),
                is_down("Rule", "thanos-rule"),
                is_down("Sidecar", "thanos-sidecar"),
                is_down("Store", "thanos-store"),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
