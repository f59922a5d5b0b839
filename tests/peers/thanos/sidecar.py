"""Thanos Sidecar's alerts (thanos-io/thanos examples/alerts/alerts.yaml group thanos-sidecar; its
IsDown alert is in component_absent.py), as the Thanos team would write them in alertgen."""

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

SIDECAR = 'job="thanos-sidecar", namespace="monitoring", instance="sidecar-0", pod="prometheus-0"'
# Its Prometheus, in the same pod, scraped under its own job.
PROMETHEUS = 'job="prometheus", namespace="monitoring", instance="prometheus-0", pod="prometheus-0"'

service = Service(
    name="thanos-sidecar",
    title="Thanos Sidecar",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        UP,
        *BUCKET_OPERATIONS,
        Metric(name="thanos_sidecar_prometheus_up", type="gauge"),
        # Exported by the Prometheus the sidecar runs beside.
        Metric(name="prometheus_tsdb_data_replay_duration_seconds", type="gauge"),
    ),
    groups=(
        Group(
            name="thanos-sidecar",
            rules=(
                Alert(
                    name="ThanosSidecarBucketOperationsFailed",
                    severity="critical",
                    expr=(
                        "sum by (job, instance) (rate(thanos_objstore_bucket_operation_failures_total"
                        '{job=~".*thanos-sidecar.*"}[5m])) > 0\n'
                    ),
                    for_="5m",
                    summary="Thanos Sidecar bucket operations are failing",
                    description="Thanos Sidecar {{$labels.instance}} bucket operations are failing",
                    runbook_url=runbook("ThanosSidecarBucketOperationsFailed"),
                ),
                Alert(
                    name="ThanosSidecarNoConnectionToStartedPrometheus",
                    severity="critical",
                    expr="""thanos_sidecar_prometheus_up{job=~".*thanos-sidecar.*"} == 0
AND on (namespace, pod)
prometheus_tsdb_data_replay_duration_seconds != 0
""",
                    for_="5m",
                    summary="Thanos Sidecar cannot access Prometheus, even though Prometheus seems healthy and has reloaded WAL.",
                    description="Thanos Sidecar {{$labels.instance}} is unhealthy.",
                    runbook_url=runbook("ThanosSidecarNoConnectionToStartedPrometheus"),
                    examples=(
                        Example(
                            name="sidecar lost a replayed Prometheus",
                            series={
                                f"thanos_sidecar_prometheus_up{{{SIDECAR}}}": "1x2 0x10",
                                f"prometheus_tsdb_data_replay_duration_seconds{{{PROMETHEUS}}}": "4x12",
                            },
                            at="10m",
                            fires=True,
                        ),
                        Example(
                            name="Prometheus still replaying its WAL",
                            series={
                                f"thanos_sidecar_prometheus_up{{{SIDECAR}}}": "1x2 0x10",
                                f"prometheus_tsdb_data_replay_duration_seconds{{{PROMETHEUS}}}": "0x12",
                            },
                            at="10m",
                            fires=False,
                        ),
                    ),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
