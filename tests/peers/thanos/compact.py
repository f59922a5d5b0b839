"""Thanos Compact's alerts (thanos-io/thanos examples/alerts/alerts.yaml group thanos-compact;
its IsDown alert is in component_absent.py), as the Thanos team would write them in alertgen."""

from _thanos import (
    BUCKET_OPERATIONS,
    RUNBOOK_BASE,
    TARGET_LABELS,
    TEAM,
    UP,
    conventions,  # noqa: F401 (the repository's conventions, picked up by alertgen)
    runbook,
)

from generator import Alert, Example, Group, Metric, Service

service = Service(
    name="thanos-compact",
    title="Thanos Compact",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        UP,
        Metric(name="thanos_compact_halted", type="gauge"),
        Metric(
            name="thanos_compact_group_compactions_failures_total", type="counter", labels=("resolution",)
        ),
        Metric(name="thanos_compact_group_compactions_total", type="counter", labels=("resolution",)),
        *BUCKET_OPERATIONS,
        Metric(name="thanos_objstore_bucket_last_successful_upload_time", type="gauge", labels=("bucket",)),
    ),
    groups=(
        Group(
            name="thanos-compact",
            rules=(
                Alert(
                    name="ThanosCompactMultipleRunning",
                    severity="warning",
                    expr='sum by (job) (up{job=~".*thanos-compact.*"}) > 1',
                    for_="5m",
                    summary="Thanos Compact has multiple instances running.",
                    description=(
                        "No more than one Thanos Compact instance should be running at once. "
                        "There are {{$value}} instances running."
                    ),
                    runbook_url=runbook("ThanosCompactMultipleRunning"),
                    examples=(
                        Example(
                            name="two compactors up",
                            series={
                                'up{job="thanos-compact", namespace="monitoring", instance="c-0", pod="c-0"}': "1x10",
                                'up{job="thanos-compact", namespace="monitoring", instance="c-1", pod="c-1"}': "1x10",
                            },
                            at="10m",
                            fires=True,
                            value=2,
                        ),
                        Example(
                            name="one compactor up, one down",
                            series={
                                'up{job="thanos-compact", namespace="monitoring", instance="c-0", pod="c-0"}': "1x10",
                                'up{job="thanos-compact", namespace="monitoring", instance="c-1", pod="c-1"}': "0x10",
                            },
                            at="10m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="ThanosCompactHalted",
                    severity="warning",
                    expr='thanos_compact_halted{job=~".*thanos-compact.*"} == 1',
                    for_="5m",
                    summary="Thanos Compact has failed to run and is now halted.",
                    description="Thanos Compact {{$labels.job}} has failed to run and now is halted.",
                    runbook_url=runbook("ThanosCompactHalted"),
                    examples=(
                        Example(
                            name="halted for 10 minutes",
                            series={
                                'thanos_compact_halted{job="thanos-compact", namespace="monitoring", instance="c-0", pod="c-0"}': "1x10",
                            },
                            at="10m",
                            fires=True,
                        ),
                        Example(
                            name="running",
                            series={
                                'thanos_compact_halted{job="thanos-compact", namespace="monitoring", instance="c-0", pod="c-0"}': "0x10",
                            },
                            at="10m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="ThanosCompactHighCompactionFailures",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(thanos_compact_group_compactions_failures_total{job=~".*thanos-compact.*"}[5m]))
/
  sum by (job) (rate(thanos_compact_group_compactions_total{job=~".*thanos-compact.*"}[5m]))
* 100 > 5
)
""",
                    for_="15m",
                    summary="Thanos Compact is failing to execute compactions.",
                    description="Thanos Compact {{$labels.job}} is failing to execute {{$value | humanize}}% of compactions.",
                    runbook_url=runbook("ThanosCompactHighCompactionFailures"),
                ),
                Alert(
                    name="ThanosCompactBucketHighOperationFailures",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(thanos_objstore_bucket_operation_failures_total{job=~".*thanos-compact.*"}[5m]))
/
  sum by (job) (rate(thanos_objstore_bucket_operations_total{job=~".*thanos-compact.*"}[5m]))
* 100 > 5
)
""",
                    for_="15m",
                    summary="Thanos Compact Bucket is having a high number of operation failures.",
                    description=(
                        "Thanos Compact {{$labels.job}} Bucket is failing to execute {{$value | humanize}}% of operations."
                    ),
                    runbook_url=runbook("ThanosCompactBucketHighOperationFailures"),
                ),
                Alert(
                    name="ThanosCompactHasNotRun",
                    severity="warning",
                    expr=(
                        "(time() - max by (job) (max_over_time(thanos_objstore_bucket_last_successful_upload_time"
                        '{job=~".*thanos-compact.*"}[24h]))) / 60 / 60 > 24'
                    ),
                    summary="Thanos Compact has not uploaded anything for last 24 hours.",
                    description="Thanos Compact {{$labels.job}} has not uploaded anything for 24 hours.",
                    runbook_url=runbook("ThanosCompactHasNotRun"),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
