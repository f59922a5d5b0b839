"""Thanos Bucket Replicate's alerts (thanos-io/thanos examples/alerts/alerts.yaml group
thanos-bucket-replicate; its thanos-bucket-replicate.rules group in rules.yaml is empty), as the
Thanos team would write them in alertgen."""

from _thanos import (
    RUNBOOK_BASE,
    TARGET_LABELS,
    TEAM,
    conventions,  # noqa: F401 (the repository's conventions, picked up by alertgen)
    runbook,
)

from generator import Alert, Disable, Group, Metric, Service

service = Service(
    name="thanos-bucket-replicate",
    title="Thanos Bucket Replicate",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        Metric(name="thanos_replicate_replication_runs_total", type="counter", labels=("result",)),
        Metric(
            name="thanos_replicate_replication_run_duration_seconds", type="histogram", labels=("result",)
        ),
    ),
    groups=(
        # The mixin's recording-rule group for the replicator, empty upstream too.
        Group(name="thanos-bucket-replicate.rules"),
        Group(
            name="thanos-bucket-replicate",
            rules=(
                Alert(
                    name="ThanosBucketReplicateErrorRate",
                    severity="critical",
                    expr="""(
  sum by (job) (rate(thanos_replicate_replication_runs_total{result="error", job=~".*thanos-bucket-replicate.*"}[5m]))
/ on (job) group_left
  sum by (job) (rate(thanos_replicate_replication_runs_total{job=~".*thanos-bucket-replicate.*"}[5m]))
) * 100 >= 10
""",
                    for_="5m",
                    summary="Thanos Replicate is failing to run.",
                    description="Thanos Replicate is failing to run, {{$value | humanize}}% of attempts failed.",
                    runbook_url=runbook("ThanosBucketReplicateErrorRate"),
                ),
                Alert(
                    name="ThanosBucketReplicateRunLatency",
                    severity="critical",
                    # As in the mixin: the quantile's sum keeps no `le`, so it yields no value (upstream bug).
                    expr="""(
  histogram_quantile(0.99, sum by (job) (rate(thanos_replicate_replication_run_duration_seconds_bucket{job=~".*thanos-bucket-replicate.*"}[5m]))) > 20
and
  sum by (job) (rate(thanos_replicate_replication_run_duration_seconds_bucket{job=~".*thanos-bucket-replicate.*"}[5m])) > 0
)
""",
                    for_="5m",
                    summary="Thanos Replicate has a high latency for replicate operations.",
                    description=(
                        "Thanos Replicate {{$labels.job}} has a 99th percentile latency of {{$value}} seconds "
                        "for the replicate operations."
                    ),
                    runbook_url=runbook("ThanosBucketReplicateRunLatency"),
                    disable=(
                        Disable(
                            check="promql/histogram-quantile-without-le",
                            reason="the mixin's rule as published (sum by (job) drops le); kept to match upstream",
                        ),
                    ),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
